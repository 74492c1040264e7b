using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;

namespace DPlaneOS.Integration.Tests.Persistence;

/// <summary>
/// Writes journal and snapshot rows the way an Akka system with stock serialization does (Newtonsoft
/// JSON with type names, serializer id 1, for everything but the daemon's own records), through the
/// real SQL journal plugin, into the database a daemon will then recover from.
/// </summary>
public static class ForeignRows
{
    /// <param name="events">Persisted in order from sequence number 1.</param>
    /// <param name="snapshot">Saved after the events, at the last sequence number.</param>
    public static async Task WriteAsync(string connectionString, string providerName, string persistenceId, IReadOnlyList<object> events, object? snapshot = null)
    {
        var sql = $$"""
            akka.persistence {
              journal.plugin = "akka.persistence.journal.sql"
              journal.sql { connection-string = "{{connectionString}}", provider-name = "{{providerName}}", auto-initialize = on }
              snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
              snapshot-store.sql { connection-string = "{{connectionString}}", provider-name = "{{providerName}}", auto-initialize = on }
            }
            akka.actor {
              serializers.dplaneos-json = "DPlaneOS.Actors.Persistence.PersistedJsonSerializer, DPlaneOS.Actors"
              serialization-bindings { "DPlaneOS.Actors.Persistence.IPersistedEvent, DPlaneOS.Actors" = dplaneos-json }
              serialization-identifiers { "DPlaneOS.Actors.Persistence.PersistedJsonSerializer, DPlaneOS.Actors" = 4711 }
            }
            """;
        var system = ActorSystem.Create("foreign-writer", ConfigurationFactory.ParseString(sql).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration));
        try
        {
            var writer = system.ActorOf(Props.Create(() => new Writer(persistenceId)));
            await writer.Ask<Done>(new Write(events, snapshot), TimeSpan.FromSeconds(60));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private sealed record Write(IReadOnlyList<object> Events, object? Snapshot);

    private sealed class Writer : ReceivePersistentActor
    {
        private IActorRef _replyTo = ActorRefs.Nobody;

        public Writer(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<Write>(write =>
            {
                _replyTo = Sender;
                PersistAll(write.Events, _ => { });
                DeferAsync(write, written =>
                {
                    if (written.Snapshot is null) _replyTo.Tell(Done.Instance);
                    else SaveSnapshot(written.Snapshot);
                });
            });
            Command<SaveSnapshotSuccess>(_ => _replyTo.Tell(Done.Instance));
            Command<SaveSnapshotFailure>(failed => _replyTo.Tell(new Status.Failure(failed.Cause)));
        }

        public override string PersistenceId { get; }
    }
}
