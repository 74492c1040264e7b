using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;

namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// The SQL journal (Akka.Persistence.Sql) that replays only this daemon's records: a live row whose
/// payload is not an <see cref="IPersistedEvent"/> (a <see cref="ForeignPayload"/> from another
/// serializer, or anything else) fails the replay with a <see cref="ForeignRowException"/> naming its
/// persistence id and sequence number. Here, unlike in the serializer, the row's identity is known.
/// </summary>
public sealed class CheckedSqlJournal(Config journalConfig) : SqlWriteJournal(journalConfig)
{
    public override Task ReplayMessagesAsync(
        IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback) =>
        base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, row =>
        {
            if (!row.IsDeleted && row.Payload is not IPersistedEvent)
                throw ForeignRowException.JournalRow(row.PersistenceId, row.SequenceNr, row.Payload);
            recoveryCallback(row);
        });
}
