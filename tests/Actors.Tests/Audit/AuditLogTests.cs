using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using Microsoft.Data.Sqlite;

namespace DPlaneOS.Actors.Tests.Audit;

/// <summary>
/// The AuditLog actor on a real SQLite journal (Akka.Persistence.Sql, the daemon's serializer
/// bindings from hocon/dplaned.conf), read back through the same query path the route uses.
/// </summary>
public sealed class AuditLogTests : TestKit
{
    private const string Node = "test-node";
    private readonly string _databaseFile;

    public AuditLogTests() : this(Path.Combine(Directory.CreateTempSubdirectory("dplaned-audit-actor-").FullName, "journal.db"))
    {
    }

    private AuditLogTests(string databaseFile) : base(Config(databaseFile)) => _databaseFile = databaseFile;

    private static Akka.Configuration.Config Config(string file)
    {
        var connection = $"Data Source={file}";
        var sql = $$"""
            akka.persistence {
              journal.plugin = "akka.persistence.journal.sql"
              journal.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", auto-initialize = on }
              snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
              snapshot-store.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", auto-initialize = on }
              query.journal.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS" }
            }
            """;
        return ConfigurationFactory.ParseString(sql)
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration)
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "dplaned.conf"))));
    }

    private static readonly AuditKey Key = AuditChainTests.Key;

    private IActorRef Writer(AuditOptions? options = null) =>
        Sys.ActorOf(Props.Create(() => new AuditLog(Key, options ?? new AuditOptions(), TimeProvider.System, Node, false)));

    private static AuditEntry Entry(int i) => new("admin", "POST /api/things/{name}", $"/api/things/t{i}",
        new Dictionary<string, string> { ["route.name"] = $"t{i}" }, "127.0.0.1", true);

    private AuditJournalReader Reader => new(Sys, $"audit-{Node}");

    private async Task<AuditLog.Protocol.Head> HeadAsync(IActorRef writer) =>
        await writer.Ask<AuditLog.Protocol.Head>(AuditLog.Protocol.GetHead.Instance, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Records_are_answered_after_they_are_in_the_journal_in_one_unforked_chain_across_restarts()
    {
        var options = new AuditOptions { SnapshotEvery = 4, MaxBatch = 3 };
        var writer = Writer(options);
        var replies = await Task.WhenAll(Enumerable.Range(1, 10).Select(i =>
            writer.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(i)), TimeSpan.FromSeconds(10))));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), replies.Select(r => r.Sequence).Order());
        // Every acknowledged record can be read back.
        Assert.Equal(10, (await Reader.ReadAsync(1, 100, CancellationToken.None)).Count);

        // Snapshots at 4 and 8; each new one replaces the older (saved and pruned asynchronously).
        await AwaitAssertAsync(async () => Assert.Equal([8L], await SnapshotSequencesAsync()), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
        Watch(writer);
        Sys.Stop(writer);
        ExpectTerminated(writer);

        // A new incarnation (recovering from the snapshot at 8 plus records 9-10) continues the same chain.
        var restarted = Writer(options);
        var head = await HeadAsync(restarted);
        Assert.Equal(10, head.Last.Sequence);
        Assert.Equal(11, (await restarted.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(11)), TimeSpan.FromSeconds(5))).Sequence);

        var records = await Reader.ReadAsync(1, 100, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(records[9].Hash, records[10].PreviousHash);
        var verdict = await Reader.VerifyAsync(Key, (await HeadAsync(restarted)).Last, CancellationToken.None);
        Assert.True(verdict.Valid, verdict.Reason);
        Assert.Equal(11, verdict.Records);
    }

    private async Task<List<long>> SnapshotSequencesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_databaseFile};Pooling=False");
        await connection.OpenAsync();
        var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence_number FROM snapshot ORDER BY sequence_number";
        var sequences = new List<long>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) sequences.Add(reader.GetInt64(0));
        return sequences;
    }

    [Fact]
    public async Task Only_this_nodes_action_events_are_recorded_as_system()
    {
        var writer = Writer(new AuditOptions { ActionEventTypes = ["docker.*", "capacity.reserve-released"] });
        var now = DateTimeOffset.UtcNow;
        writer.Tell(MonitorEvent.Create("pool.degraded", Severity.Warning, "tank", now) with { Node = Node });
        writer.Tell(MonitorEvent.Create("docker.stopped", Severity.Critical, "web", now) with { Node = "elsewhere" });
        writer.Tell(MonitorEvent.Create("docker.stopped", Severity.Critical, "web", now) with { Node = Node });
        writer.Tell(MonitorEvent.Create("capacity.reserve-released", Severity.Critical, "tank/dplane-reserved", now) with { Node = Node });
        // A request after the events: once it is answered, the events before it are in the journal.
        await writer.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(1)), TimeSpan.FromSeconds(5));

        var records = await Reader.ReadAsync(1, 100, CancellationToken.None);
        Assert.Equal(["docker.stopped", "capacity.reserve-released", "POST /api/things/{name}"], records.Select(r => r.Action));
        Assert.Equal(["system", "system", "admin"], records.Select(r => r.Actor));
        Assert.Equal(Node, records[0].Source);
    }

    [Fact]
    public async Task A_journal_failure_fails_the_waiting_requests_and_stops_the_writer()
    {
        var writer = Writer();
        await writer.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(1)), TimeSpan.FromSeconds(5));
        Watch(writer);
        await using (var connection = new SqliteConnection($"Data Source={_databaseFile};Pooling=False"))
        {
            await connection.OpenAsync();
            var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE journal";
            await drop.ExecuteNonQueryAsync();
        }

        writer.Tell(new AuditLog.Protocol.Record(Entry(2)), TestActor);
        ExpectMsg<Status.Failure>(TimeSpan.FromSeconds(10));
        ExpectTerminated(writer, TimeSpan.FromSeconds(10));
    }
}
