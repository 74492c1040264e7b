using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// Reads the audit records back from the database through Akka.Persistence.Query
/// (<c>CurrentEventsByPersistenceId</c> of the SQL read journal), never from the writer's memory:
/// tampering happens in the database, so that is what gets checked. Going through the read journal
/// rather than raw SQL keeps one code path for SQLite and PostgreSQL, for Akka's table layout and
/// for our serializer; deserialization failures still name the position they happened at.
/// </summary>
public sealed class AuditJournalReader(ActorSystem system, string persistenceId)
{
    private SqlReadJournal Journal => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    /// <summary>Streams the whole chain through an <see cref="AuditChainVerifier"/>.</summary>
    public async Task<AuditVerification> VerifyAsync(AuditKey key, AuditHead? writerHead, CancellationToken cancellationToken)
    {
        var verifier = new AuditChainVerifier(key, writerHead);
        try
        {
            await Journal.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue)
                .Via(cancellationToken.AsFlow<EventEnvelope>(cancelGracefully: false))
                .RunForeach(envelope => verifier.Add(envelope.SequenceNr, envelope.Event), system.Materializer());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A payload edited into something that no longer deserializes fails the stream at that entry.
            verifier.Unreadable(ex.GetBaseException().Message);
        }
        return verifier.Complete();
    }

    /// <summary>Records with sequence <paramref name="from"/> to <paramref name="to"/> as stored, ascending.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(long from, long to, CancellationToken cancellationToken)
    {
        if (to < from) return [];
        var records = new List<AuditRecord>();
        await Journal.CurrentEventsByPersistenceId(persistenceId, from, to)
            .Via(cancellationToken.AsFlow<EventEnvelope>(cancelGracefully: false))
            .RunForeach(envelope =>
            {
                if (envelope.Event is AuditRecord record) records.Add(record);
            }, system.Materializer());
        return records;
    }
}
