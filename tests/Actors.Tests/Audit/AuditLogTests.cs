using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using Microsoft.Data.Sqlite;
using DPlaneOS.Actors.Node;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests.Audit;

/// <summary>
/// The AuditLog actor on a real SQLite journal (Akka.Persistence.Sql, the daemon's serializer
/// bindings from hocon/dplaned.conf), read back through the same query path the route uses.
/// </summary>
public sealed class AuditLogTests : TestKit
{
    /// <summary>The node the events of these tests come from.</summary>
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");

    private const string Node = "test-node";
    private readonly string _databaseFile;

    public AuditLogTests() : this(Path.Combine(Directory.CreateTempSubdirectory("dplaned-audit-actor-").FullName, "journal.db"))
    {
    }

    private AuditLogTests(string databaseFile) : base(Config(databaseFile))
    {
        _databaseFile = databaseFile;
        _anchor = AuditAnchorFile.InDataDir(Path.GetDirectoryName(databaseFile)!, Key);
        _mediator = CreateTestProbe();
    }

    private readonly AuditAnchorFile _anchor;

    // Stands in for the LocalBus mediator: the writer's own critical events arrive here as Publish.
    private readonly Akka.TestKit.TestProbe _mediator;

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

    private IActorRef Writer(AuditOptions? options = null, IAuditAnchorStore? anchor = null)
    {
        var store = anchor ?? _anchor;
        var mediator = _mediator.Ref;
        return Sys.ActorOf(Props.Create(() => new AuditLog(Key, options ?? new AuditOptions(), TimeProvider.System, NodeIdentity.Named(Node), false, store, mediator)));
    }

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
        writer.Tell(MonitorEvent.Create(TestNode, "pool.degraded", Severity.Warning, "tank", now) with { Node = Node });
        writer.Tell(MonitorEvent.Create(TestNode, "docker.stopped", Severity.Critical, "web", now) with { Node = "elsewhere" });
        writer.Tell(MonitorEvent.Create(TestNode, "docker.stopped", Severity.Critical, "web", now) with { Node = Node });
        writer.Tell(MonitorEvent.Create(TestNode, "capacity.reserve-released", Severity.Critical, "tank/dplane-reserved", now) with { Node = Node });
        // A request after the events: once it is answered, the events before it are in the journal.
        await writer.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(1)), TimeSpan.FromSeconds(5));

        var records = await Reader.ReadAsync(1, 100, CancellationToken.None);
        Assert.Equal(["docker.stopped", "capacity.reserve-released", "POST /api/things/{name}"], records.Select(r => r.Action));
        Assert.Equal(["system", "system", "admin"], records.Select(r => r.Actor));
        Assert.Equal(Node, records[0].Source);
    }

    [Fact]
    public async Task The_writers_own_marker_events_are_not_audited_again_even_when_every_type_is_an_action()
    {
        var writer = Writer(new AuditOptions { ActionEventTypes = ["*"] });
        var now = DateTimeOffset.UtcNow;
        writer.Tell(MonitorEvent.Create(TestNode, AuditTailCheck.ChainTruncated, Severity.Critical, $"audit-{Node}", now) with { Node = Node });
        writer.Tell(MonitorEvent.Create(TestNode, AuditTailCheck.AnchorInvalid, Severity.Critical, $"audit-{Node}", now) with { Node = Node });
        writer.Tell(MonitorEvent.Create(TestNode, "pool.degraded", Severity.Warning, "tank", now) with { Node = Node });
        await writer.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(1)), TimeSpan.FromSeconds(5));

        var records = await Reader.ReadAsync(1, 100, CancellationToken.None);
        Assert.Equal(["pool.degraded", "POST /api/things/{name}"], records.Select(r => r.Action));
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

    private async Task<long> RecordAsync(IActorRef writer, int i) =>
        (await writer.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(i)), TimeSpan.FromSeconds(10))).Sequence;

    private async Task StopAsync(IActorRef writer)
    {
        Watch(writer);
        Sys.Stop(writer);
        ExpectTerminated(writer);
        await Task.CompletedTask;
    }

    private async Task AnchorNamesAsync(long sequence) =>
        await AwaitAssertAsync(async () =>
        {
            var head = (await Reader.ReadAsync(sequence, sequence, CancellationToken.None)).Single();
            Assert.Equal(new AuditAnchorReading.Valid(new AuditHead(sequence, head.Hash)), _anchor.Read());
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));

    private async Task DeleteFromJournalAsync(long fromSequence)
    {
        await using var connection = new SqliteConnection($"Data Source={_databaseFile};Pooling=False");
        await connection.OpenAsync();
        var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM journal WHERE persistence_id = $id AND sequence_number >= $from";
        delete.Parameters.AddWithValue("$id", $"audit-{Node}");
        delete.Parameters.AddWithValue("$from", fromSequence);
        Assert.True(await delete.ExecuteNonQueryAsync() > 0);
    }

    /// <summary>Blocks the first write until released and remembers every head it was asked to write.</summary>
    private sealed class GatedAnchor(IAuditAnchorStore inner) : IAuditAnchorStore
    {
        public readonly ManualResetEventSlim Gate = new(false);
        public readonly System.Collections.Concurrent.ConcurrentQueue<long> Written = new();
        private int _writes;

        public string Path => inner.Path;

        public AuditAnchorReading Read() => inner.Read();

        public void Write(AuditHead head)
        {
            if (Interlocked.Increment(ref _writes) == 1) Gate.Wait(TimeSpan.FromSeconds(30));
            inner.Write(head);
            Written.Enqueue(head.Sequence);
        }
    }

    [Fact]
    public async Task The_anchor_follows_each_batch_one_write_at_a_time_and_the_newest_waiting_head_wins()
    {
        var gated = new GatedAnchor(_anchor);
        var writer = Writer(anchor: gated);
        Assert.Equal(1, await RecordAsync(writer, 1));
        // The write of head 1 is held; five more batches are persisted meanwhile (each answered before the next).
        for (var i = 2; i <= 6; i++) Assert.Equal(i, await RecordAsync(writer, i));
        Assert.Empty(gated.Written);
        gated.Gate.Set();

        await AnchorNamesAsync(6);
        await Task.Delay(300);
        // Head 1, then only the newest of the heads that waited: never 2 to 5, never one behind the last.
        Assert.Equal([1L, 6L], gated.Written);
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Settling_the_anchor_answers_only_once_the_anchor_names_the_last_record()
    {
        var gated = new GatedAnchor(_anchor);
        var writer = Writer(anchor: gated);
        Assert.Equal(1, await RecordAsync(writer, 1));

        // Head 1's write is held: shutdown must not be told the anchor is current.
        var settled = writer.Ask<AuditLog.Protocol.AnchorSettled>(AuditLog.Protocol.SettleAnchor.Instance, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.False(settled.IsCompleted, "settled while the anchor was still being written");
        gated.Gate.Set();
        Assert.Equal(1, (await settled).Sequence);
        Assert.Equal([1L], gated.Written);

        // Asked right behind a record: answered once that record is persisted and anchored.
        writer.Tell(new AuditLog.Protocol.Record(Entry(2)));
        Assert.Equal(2, (await writer.Ask<AuditLog.Protocol.AnchorSettled>(AuditLog.Protocol.SettleAnchor.Instance, TimeSpan.FromSeconds(5))).Sequence);
        Assert.Equal([1L, 2L], gated.Written);
    }

    [Fact]
    public async Task A_failed_anchor_write_does_not_fail_the_request_and_the_next_batch_writes_it()
    {
        var writer = Writer();
        Assert.Equal(1, await RecordAsync(writer, 1));
        await AnchorNamesAsync(1);
        // A directory in the temp file's place makes the next write fail.
        Directory.CreateDirectory(_anchor.Path + ".tmp");
        File.WriteAllText(Path.Combine(_anchor.Path + ".tmp", "x"), "x");
        Assert.Equal(2, await RecordAsync(writer, 2));
        await Task.Delay(300);
        Assert.Equal(1, Assert.IsType<AuditAnchorReading.Valid>(_anchor.Read()).Head.Sequence);

        Directory.Delete(_anchor.Path + ".tmp", recursive: true);
        Assert.Equal(3, await RecordAsync(writer, 3));
        await AnchorNamesAsync(3);
    }

    [Fact]
    public async Task A_normal_restart_adds_no_marker_and_publishes_nothing()
    {
        var writer = Writer();
        for (var i = 1; i <= 5; i++) await RecordAsync(writer, i);
        await AnchorNamesAsync(5);
        await StopAsync(writer);

        var restarted = Writer();
        Assert.Equal(6, await RecordAsync(restarted, 6));
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var verdict = await Reader.VerifyAsync(Key, (await HeadAsync(restarted)).Last, CancellationToken.None);
        Assert.True(verdict.Valid, verdict.Reason);
        Assert.DoesNotContain((await Reader.ReadAsync(1, 100, CancellationToken.None)), r => r.Actor == "system");
    }

    [Fact]
    public async Task An_anchor_ahead_of_the_journal_appends_one_marker_and_one_critical_event_before_new_records()
    {
        var writer = Writer();
        for (var i = 1; i <= 10; i++) await RecordAsync(writer, i);
        await AnchorNamesAsync(10);
        var anchorAt10 = await File.ReadAllBytesAsync(_anchor.Path);
        var record7 = (await Reader.ReadAsync(7, 7, CancellationToken.None)).Single();
        await StopAsync(writer);
        await DeleteFromJournalAsync(8);

        var restarted = Writer();
        // A request sent at once waits for the check: it lands after the marker.
        var eleventh = restarted.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(Entry(11)), TimeSpan.FromSeconds(10));
        var published = _mediator.ExpectMsg<Publish>(TimeSpan.FromSeconds(10));
        Assert.Equal(MonitorBus.Topic, published.Topic);
        var alert = Assert.IsType<MonitorEvent>(published.Message);
        Assert.Equal((AuditTailCheck.ChainTruncated, Severity.Critical, $"audit-{Node}", Node), (alert.Type, alert.Severity, alert.Subject, alert.Node));
        Assert.Equal("10", alert.Data[AuditTailCheck.AnchorSequence]);
        Assert.Equal("7", alert.Data[AuditTailCheck.JournalSequence]);
        Assert.Equal(record7.Hash, alert.Data[AuditTailCheck.JournalHash]);
        Assert.Equal("8", alert.Data["marker.sequence"]);
        Assert.Equal(9, (await eleventh).Sequence);
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var records = await Reader.ReadAsync(1, 100, CancellationToken.None);
        var marker = records[7];
        Assert.Equal((8L, "system", AuditTailCheck.ChainTruncated, $"audit-{Node}"), (marker.Sequence, marker.Actor, marker.Action, marker.Resource));
        Assert.Equal(record7.Hash, marker.PreviousHash);
        var verdict = await Reader.VerifyAsync(Key, (await HeadAsync(restarted)).Last, CancellationToken.None);
        Assert.Equal(8, verdict.FirstBrokenSequence);
        Assert.StartsWith("Records 8 to 10 were deleted while the daemon was stopped", verdict.Reason);
        await AnchorNamesAsync(9);

        // Restart again, even with the old anchor put back (as if every renewal had failed since): the same loss is not recorded twice.
        await StopAsync(restarted);
        await File.WriteAllBytesAsync(_anchor.Path, anchorAt10);
        var third = Writer();
        Assert.Equal(10, await RecordAsync(third, 12));
        await StopAsync(third);
        var fourth = Writer();
        Assert.Equal(11, await RecordAsync(fourth, 13));
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Single(await Reader.ReadAsync(1, 100, CancellationToken.None), r => r.Action == AuditTailCheck.ChainTruncated);
    }

    [Fact]
    public async Task An_edited_anchor_is_recorded_as_invalid_and_a_missing_one_is_started_again_without_a_marker()
    {
        var writer = Writer();
        for (var i = 1; i <= 3; i++) await RecordAsync(writer, i);
        await AnchorNamesAsync(3);
        await StopAsync(writer);
        await File.WriteAllTextAsync(_anchor.Path, (await File.ReadAllTextAsync(_anchor.Path)).Replace("\"sequence\":3", "\"sequence\":2", StringComparison.Ordinal));

        var restarted = Writer();
        var alert = Assert.IsType<MonitorEvent>(_mediator.ExpectMsg<Publish>(TimeSpan.FromSeconds(10)).Message);
        Assert.Equal((AuditTailCheck.AnchorInvalid, Severity.Critical), (alert.Type, alert.Severity));
        Assert.StartsWith("MAC mismatch", alert.Data[AuditTailCheck.AnchorProblem]);
        Assert.Equal("2", alert.Data[AuditTailCheck.AnchorSequence]);
        Assert.Equal(5, await RecordAsync(restarted, 5));
        var verdict = await Reader.VerifyAsync(Key, (await HeadAsync(restarted)).Last, CancellationToken.None);
        Assert.Equal(4, verdict.FirstBrokenSequence);
        Assert.Contains("was altered", verdict.Reason);
        await AnchorNamesAsync(5);
        await StopAsync(restarted);

        File.Delete(_anchor.Path);
        var again = Writer();
        await AnchorNamesAsync(5);
        Assert.Equal(6, await RecordAsync(again, 6));
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}
