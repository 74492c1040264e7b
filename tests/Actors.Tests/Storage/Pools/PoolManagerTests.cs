using Akka.Actor;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.TestSupport;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Actors.Tests.Storage.Pools;

public sealed class PoolManagerTests : VirtualTimeTestKit
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly FakeMountZfs _zfs = new();
    private readonly FakePoolProber _prober = new();

    public PoolManagerTests()
    {
        _zfs.Mounted("tank", "/tank");
        _zfs.Mounted("backup", "/backup");
    }

    private IActorRef StartManager(HeartbeatOptions? heartbeat = null)
    {
        var options = heartbeat ?? new HeartbeatOptions { Interval = Interval, Deadline = Deadline };
        return Sys.ActorOf(Props.Create(() => new PoolManager(options, _zfs, _prober, TimeProvider.System, NodeIdentity.Named("nas1"))), "pools");
    }

    /// <summary>What the ZfsHealthActor publishes after a status read, from real zpool status text.</summary>
    private static PoolManager.Protocol.PoolsObserved Observed(params (string Name, string State)[] pools)
    {
        var text = string.Concat(pools.Select(p => $"""
              pool: {p.Name}
             state: {p.State}
            config:

            	NAME        STATE     READ WRITE CKSUM
            	{p.Name}        {p.State}       0     0     0
            	  /lab/{p.Name}/d1  {p.State}       0     0     0

            errors: No known data errors

            """));
        return new PoolManager.Protocol.PoolsObserved(DateTimeOffset.UtcNow, ZpoolStatusParser.Parse(text).Value);
    }

    private IReadOnlyList<PoolManager.Protocol.HeartbeatReport> Heartbeats(IActorRef manager)
    {
        var probe = CreateTestProbe();
        manager.Tell(PoolManager.Protocol.GetHeartbeats.Instance, probe.Ref);
        return probe.ExpectMsg<PoolManager.Protocol.Heartbeats>().Pools;
    }

    private IActorRef HeartbeatOf(string pool) =>
        Sys.ActorSelection($"/user/pools/{pool}/{pool}").ResolveOne(TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    [Fact]
    public void Discovers_pools_from_status_reads_on_the_event_stream_and_stops_the_heartbeat_of_an_exported_pool()
    {
        var manager = StartManager();
        AwaitAssert(() =>
        {
            // The manager subscribes in PreStart; publish until it has seen one.
            Sys.EventStream.Publish(Observed(("tank", "ONLINE")));
            Assert.Single(Heartbeats(manager));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        AdvanceUntil(() => _prober.Probes("/tank") >= 1, TimeSpan.Zero);

        // A pool imported later gets its heartbeat at the next status read.
        manager.Tell(Observed(("tank", "ONLINE"), ("backup", "ONLINE")));
        AdvanceUntil(() => _prober.Probes("/backup") >= 1, TimeSpan.Zero);
        AwaitAssert(() => Assert.Equal(["backup", "tank"], Heartbeats(manager).Select(h => h.Pool)));

        // backup exported: its heartbeat stops, tank goes on.
        manager.Tell(Observed(("tank", "ONLINE")));
        AwaitAssert(() => Assert.Equal(["tank"], Heartbeats(manager).Select(h => h.Pool)));
        var backupProbes = _prober.Probes("/backup");
        var tankProbes = _prober.Probes("/tank");
        for (var i = 0; i < 3; i++)
        {
            Scheduler.Advance(Interval);
            AwaitCondition(() => _prober.Probes("/tank") == tankProbes + i + 1);
        }
        Assert.Equal(backupProbes, _prober.Probes("/backup"));
    }

    [Fact]
    public void A_disabled_heartbeat_probes_no_pool()
    {
        var manager = StartManager(new HeartbeatOptions { Enabled = false, Interval = Interval, Deadline = Deadline });
        manager.Tell(Observed(("tank", "ONLINE")));
        Scheduler.Advance(Interval);
        Assert.Empty(Heartbeats(manager));
        Assert.Equal(0, _prober.Probes("/tank"));
    }

    [Fact]
    public void Pools_outside_the_configured_set_get_no_heartbeat()
    {
        var manager = StartManager(new HeartbeatOptions { Interval = Interval, Deadline = Deadline, ExcludedPools = ["backup"] });
        manager.Tell(Observed(("tank", "ONLINE"), ("backup", "ONLINE")));
        AdvanceUntil(() => _prober.Probes("/tank") >= 1, TimeSpan.Zero);
        Assert.Equal(["tank"], Heartbeats(manager).Select(h => h.Pool));
        Assert.Equal(0, _prober.Probes("/backup"));
    }

    [Fact]
    public void The_zpool_state_reaches_the_pools_heartbeat()
    {
        var events = MonitorProbe();
        var manager = StartManager();
        manager.Tell(Observed(("tank", "ONLINE")));
        AdvanceUntil(() => Heartbeats(manager).Single().State.Health == PoolHealth.Healthy, TimeSpan.Zero);
        manager.Tell(Observed(("tank", "DEGRADED")));
        Assert.Equal("tank", ExpectEvent(events, PoolEvents.Degraded).Subject);
    }

    [Fact]
    public void A_crashed_heartbeat_restarts_under_backoff_resumes_probing_and_does_not_resend_its_alert()
    {
        var events = MonitorProbe();
        var manager = StartManager();
        _prober.Fail("/tank", "write failed: Input/output error");
        manager.Tell(Observed(("tank", "ONLINE")));
        AdvanceUntil(() => _prober.Probes("/tank") >= 1, TimeSpan.Zero);
        ExpectEvent(events, PoolEvents.Failed);
        AwaitCondition(() => Heartbeats(manager).Single().State.Health == PoolHealth.Failed);
        var before = HeartbeatOf("tank");

        // The next mount lookup throws inside the heartbeat: it crashes.
        _zfs.ThrowNext("tank", new InvalidOperationException("boom"));
        Scheduler.Advance(Interval);
        AwaitCondition(() => !_zfs.ThrowPending("tank"));
        var probesAtCrash = _prober.Probes("/tank");

        // Backoff (1 s, ±20 %) in virtual time, then the new heartbeat probes at once.
        AdvanceUntil(() => _prober.Probes("/tank") > probesAtCrash, TimeSpan.FromMilliseconds(250));
        Assert.NotEqual(before, HeartbeatOf("tank"));
        Assert.Equal(PoolHealth.Failed, Heartbeats(manager).Single().State.Health);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // It goes on probing, and recovers when writes work again: one recovered, no second failed.
        _prober.Succeed("/tank");
        Scheduler.Advance(Interval);
        Assert.Equal(PoolEvents.Recovered, ExpectEvent(events, PoolEvents.Failed, PoolEvents.Recovered).Type);
    }

    [Fact]
    public void A_crash_in_one_pools_heartbeat_never_touches_another()
    {
        var manager = StartManager();
        manager.Tell(Observed(("tank", "ONLINE"), ("backup", "ONLINE")));
        AdvanceUntil(() => _prober.Probes("/tank") >= 1 && _prober.Probes("/backup") >= 1, TimeSpan.Zero);
        var backup = HeartbeatOf("backup");
        var backupProbes = _prober.Probes("/backup");
        var tank = HeartbeatOf("tank");

        _zfs.ThrowNext("tank", new InvalidOperationException("boom in tank"));
        Scheduler.Advance(Interval);
        AwaitCondition(() => !_zfs.ThrowPending("tank") && _prober.Probes("/backup") == backupProbes + 1);
        // tank restarts after its backoff and probes again.
        var tankProbes = _prober.Probes("/tank");
        AdvanceUntil(() => _prober.Probes("/tank") > tankProbes, TimeSpan.FromMilliseconds(250));
        Assert.NotEqual(tank, HeartbeatOf("tank"));
        backupProbes = _prober.Probes("/backup");

        // backup: same actor, one probe per interval, state untouched by tank's crash.
        for (var i = 1; i <= 3; i++)
        {
            Scheduler.Advance(Interval);
            AwaitCondition(() => _prober.Probes("/backup") == backupProbes + i);
        }
        Assert.Equal(backup, HeartbeatOf("backup"));
        Assert.Equal(PoolHealth.Healthy, Heartbeats(manager).Single(h => h.Pool == "backup").State.Health);
    }
}
