using DPlaneOS.Actors.Node;
using Akka.Actor;
using Akka.TestKit;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Actors.Tests.Storage.Pools;

public sealed class PoolHeartbeatActorTests : VirtualTimeTestKit
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly FakeMountZfs _zfs = new();
    private readonly FakePoolProber _prober = new();

    public PoolHeartbeatActorTests()
    {
        _zfs.Mounted("tank", "/tank");
    }

    private static HeartbeatOptions Options => new() { Interval = Interval, Deadline = Deadline };

    /// <summary>A heartbeat whose keeper is a test probe; resumes it from <paramref name="resumeFrom"/> and waits until it runs.</summary>
    private (IActorRef Heartbeat, TestProbe Keeper) StartHeartbeat(PoolHeartbeatState? resumeFrom = null, NodeIdentity? node = null)
    {
        var keeper = CreateTestProbe();
        var heartbeat = Sys.ActorOf(Props.Create(() => new PoolHeartbeatActor("tank", keeper.Ref, Options, _zfs, _prober, TimeProvider.System, node ?? NodeIdentity.Named(Environment.MachineName))));
        Assert.Equal("tank", keeper.ExpectMsg<PoolManager.Protocol.ResumeHeartbeat>().Pool);
        keeper.Reply(new PoolManager.Protocol.HeartbeatResumed(resumeFrom ?? PoolHeartbeatState.Initial, null));
        // Answered only once resumed, so the tick timer is scheduled from here on.
        heartbeat.Tell(PoolHeartbeatActor.Protocol.GetStatus.Instance, keeper.Ref);
        keeper.FishForMessage<PoolManager.Protocol.HeartbeatReport>(_ => true);
        return (heartbeat, keeper);
    }

    private PoolManager.Protocol.HeartbeatReport Status(IActorRef heartbeat)
    {
        var probe = CreateTestProbe();
        heartbeat.Tell(PoolHeartbeatActor.Protocol.GetStatus.Instance, probe.Ref);
        return probe.ExpectMsg<PoolManager.Protocol.HeartbeatReport>();
    }

    /// <summary>
    /// One interval of virtual time, then real time until that tick's mount lookup is back: the
    /// deadline covers the lookup too, so advancing again while it is out would (rightly) be a hang.
    /// </summary>
    private void AdvanceOneTick(IActorRef heartbeat)
    {
        var lookups = _zfs.Calls;
        Scheduler.Advance(Interval);
        AwaitCondition(() => _zfs.Calls > lookups && Status(heartbeat).ProbeOutSince is null);
    }

    [Fact]
    public void A_never_completing_probe_fails_the_pool_within_interval_plus_deadline_and_no_second_probe_starts()
    {
        var events = MonitorProbe();
        var (heartbeat, _) = StartHeartbeat();
        Scheduler.Advance(TimeSpan.Zero);
        AwaitCondition(() => Status(heartbeat).State.Health == PoolHealth.Healthy);
        Assert.Equal(1, _prober.Probes("/tank"));
        // A fresh heartbeat states its first healthy judgement, and that its probe path is clean.
        Assert.Equal(Severity.Resolved, ExpectEvent(events, PoolEvents.Healthy).Severity);
        Assert.Equal(Severity.Resolved, ExpectEvent(events, PoolEvents.Clean).Severity);

        // The pool hangs right after a good probe: the worst case.
        _prober.Hang("/tank");
        Scheduler.Advance(Interval);
        AwaitCondition(() => _prober.Probes("/tank") == 2);
        Scheduler.Advance(Deadline - TimeSpan.FromMilliseconds(1));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));

        var failed = ExpectEvent(events, PoolEvents.Failed);
        Assert.Equal("tank", failed.Subject);
        Assert.Equal(Severity.Critical, failed.Severity);
        Assert.Contains("did not finish within 10 s", failed.Data[PoolEvents.ReasonKey]);
        Assert.Equal(["/tank"], PoolEvents.Mountpoints(failed));

        // Ten more intervals while the probe hangs: no new probe, no new event, still failed.
        for (var i = 0; i < 10; i++) Scheduler.Advance(Interval);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(2, _prober.Probes("/tank"));
        var status = Status(heartbeat);
        Assert.Equal(PoolHealth.Failed, status.State.Health);
        Assert.NotNull(status.ProbeOutSince);
    }

    [Fact]
    public void The_hung_probe_coming_back_recovers_the_pool_and_probing_resumes()
    {
        var events = MonitorProbe();
        var hung = _prober.Hang("/tank");
        var (heartbeat, _) = StartHeartbeat();
        Scheduler.Advance(TimeSpan.Zero);
        AwaitCondition(() => _prober.Probes("/tank") == 1);
        Scheduler.Advance(Deadline);
        ExpectEvent(events, PoolEvents.Failed);

        _prober.Succeed("/tank");
        hung.SetResult(ProbeIoResult.Ok(TimeSpan.FromSeconds(42)));
        var recovered = ExpectEvent(events, PoolEvents.Recovered);
        Assert.Equal(Severity.Resolved, recovered.Severity);
        Assert.Equal("tank", recovered.Subject);
        Assert.Equal(PoolHealth.Healthy, Status(heartbeat).State.Health);
        // Its first successful probe: the fresh heartbeat states its probe path clean.
        ExpectEvent(events, PoolEvents.Clean);

        Scheduler.Advance(Interval);
        AwaitCondition(() => _prober.Probes("/tank") == 2);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_write_error_fails_the_pool_once_and_success_recovers_it()
    {
        var events = MonitorProbe();
        _prober.Fail("/tank", "write failed: Input/output error");
        var (heartbeat, keeper) = StartHeartbeat();
        Scheduler.Advance(TimeSpan.Zero);
        var failed = ExpectEvent(events, PoolEvents.Failed);
        Assert.Equal("write failed: Input/output error", failed.Data[PoolEvents.ReasonKey]);
        // The keeper hears every state, so a restart can resume from it.
        keeper.FishForMessage<PoolManager.Protocol.HeartbeatReport>(r => r.State.Health == PoolHealth.Failed);

        Scheduler.Advance(Interval);
        AwaitCondition(() => _prober.Probes("/tank") == 2);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        _prober.Succeed("/tank");
        Scheduler.Advance(Interval);
        ExpectEvent(events, PoolEvents.Recovered);
        Assert.Equal(PoolHealth.Healthy, Status(heartbeat).State.Health);
    }

    [Fact]
    public void An_unmounted_pool_is_reported_not_probeable_and_nothing_is_written()
    {
        var events = MonitorProbe();
        _zfs.Unmounted("tank", "/tank");
        var (heartbeat, _) = StartHeartbeat();
        heartbeat.Tell(new PoolHeartbeatActor.Protocol.PoolStateRead("ONLINE"));
        Scheduler.Advance(TimeSpan.Zero);
        var notProbeable = ExpectEvent(events, PoolEvents.NotProbeable, PoolEvents.Failed);
        Assert.Equal(PoolEvents.NotProbeable, notProbeable.Type);
        Assert.Equal(Severity.Info, notProbeable.Severity);
        Assert.Equal("not mounted (mountpoint /tank)", notProbeable.Data[PoolEvents.ReasonKey]);

        for (var i = 0; i < 5; i++) AdvanceOneTick(heartbeat);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, _prober.Probes("/tank"));
        Assert.Equal(PoolHealth.NotProbeable, Status(heartbeat).State.Health);

        // zfs mount -a: probed at the next tick.
        _zfs.Mounted("tank", "/tank");
        Scheduler.Advance(Interval);
        AwaitCondition(() => Status(heartbeat).State.Health == PoolHealth.Healthy);
        Assert.Equal(1, _prober.Probes("/tank"));
    }

    [Fact]
    public void Pool_states_from_zpool_status_degrade_and_fail_by_exact_match()
    {
        var events = MonitorProbe();
        var (heartbeat, _) = StartHeartbeat();
        Scheduler.Advance(TimeSpan.Zero);
        AwaitCondition(() => Status(heartbeat).State.Health == PoolHealth.Healthy);

        heartbeat.Tell(new PoolHeartbeatActor.Protocol.PoolStateRead("DEGRADED"));
        var degraded = ExpectEvent(events, PoolEvents.Degraded);
        Assert.Equal(Severity.Warning, degraded.Severity);
        Assert.Equal("DEGRADED", degraded.Data[PoolEvents.StateKey]);

        heartbeat.Tell(new PoolHeartbeatActor.Protocol.PoolStateRead("SUSPENDED"));
        Assert.Equal("pool state is SUSPENDED", ExpectEvent(events, PoolEvents.Failed).Data[PoolEvents.ReasonKey]);

        heartbeat.Tell(new PoolHeartbeatActor.Protocol.PoolStateRead("ONLINE"));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Scheduler.Advance(Interval);
        ExpectEvent(events, PoolEvents.Recovered);
    }

    [Fact]
    public void Its_events_carry_the_node_it_was_given_not_the_host_name()
    {
        // The Docker guard acts only on its own node's pool events; both must name the node alike when DPlaneOS:NodeName is set.
        var events = MonitorProbe();
        StartHeartbeat(node: NodeIdentity.Named("renamed-node"));
        Scheduler.Advance(TimeSpan.Zero);
        Assert.Equal("renamed-node", ExpectEvent(events, PoolEvents.Healthy).Node);
    }

    [Fact]
    public void A_fresh_heartbeat_states_pool_healthy_once_and_a_resumed_one_does_not()
    {
        var events = MonitorProbe();
        var (fresh, _) = StartHeartbeat();
        Scheduler.Advance(TimeSpan.Zero);
        var healthy = ExpectEvent(events, PoolEvents.Healthy);
        Assert.Equal(("tank", Severity.Resolved), (healthy.Subject, healthy.Severity));
        Assert.Equal("healthy at the first probe since start", healthy.Data[PoolEvents.ReasonKey]);
        Assert.Equal("probe path clean at the first probe since start", ExpectEvent(events, PoolEvents.Clean).Data[PoolEvents.ReasonKey]);
        for (var i = 0; i < 3; i++) AdvanceOneTick(fresh);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var stated = Status(fresh).State;
        Assert.True(stated.HealthStated);
        Assert.True(stated.PathStated);
        Sys.Stop(fresh);

        // A restart within the daemon resumes from what the keeper holds: no second statement.
        var (resumed, _) = StartHeartbeat(stated);
        Scheduler.Advance(TimeSpan.Zero);
        AwaitCondition(() => _prober.Probes("/tank") == 5);
        for (var i = 0; i < 3; i++) AdvanceOneTick(resumed);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(PoolHealth.Healthy, Status(resumed).State.Health);
    }

    [Fact]
    public void A_heartbeat_resumed_as_failed_does_not_send_pool_failed_again()
    {
        var events = MonitorProbe();
        var failed = PoolHeartbeatState.Initial.Apply(new HeartbeatObservation.ProbeHung(Deadline), DateTimeOffset.UtcNow).State;
        _prober.Hang("/tank");
        var (heartbeat, _) = StartHeartbeat(failed);
        Scheduler.Advance(TimeSpan.Zero);
        AwaitCondition(() => _prober.Probes("/tank") == 1);
        Scheduler.Advance(Deadline);
        Scheduler.Advance(Interval);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(PoolHealth.Failed, Status(heartbeat).State.Health);
    }

    [Fact]
    public void A_tampered_probe_path_warns_once_naming_the_path_never_fails_the_pool_and_a_clean_probe_ends_it()
    {
        var events = MonitorProbe();
        var (heartbeat, _) = StartHeartbeat();
        Scheduler.Advance(TimeSpan.Zero);
        ExpectEvent(events, PoolEvents.Clean);

        _prober.Tamper("/tank", "/tank/.dplaneos", "/tank/.dplaneos is a symbolic link to /etc");
        Scheduler.Advance(Interval);
        var tampered = ExpectEvent(events, PoolEvents.Tampered, PoolEvents.Failed);
        Assert.Equal((PoolEvents.Tampered, Severity.Warning, "tank"), (tampered.Type, tampered.Severity, tampered.Subject));
        Assert.Equal("/tank/.dplaneos", tampered.Data[PoolEvents.PathKey]);
        Assert.Equal("/tank/.dplaneos is a symbolic link to /etc", tampered.Data[PoolEvents.ReasonKey]);
        Assert.Equal(["/tank"], PoolEvents.Mountpoints(tampered));

        // Every later probe finds it again: no second warning, and never a failure.
        for (var i = 0; i < 5; i++) AdvanceOneTick(heartbeat);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var status = Status(heartbeat).State;
        Assert.Equal((PoolHealth.Unknown, "/tank/.dplaneos"), (status.Health, status.TamperedPath));

        _prober.Succeed("/tank");
        Scheduler.Advance(Interval);
        var clean = ExpectEvent(events, PoolEvents.Clean, PoolEvents.Healthy, PoolEvents.Failed);
        Assert.Equal((PoolEvents.Clean, Severity.Resolved, "/tank/.dplaneos"), (clean.Type, clean.Severity, clean.Data[PoolEvents.PathKey]));
        Assert.Equal(PoolHealth.Healthy, Status(heartbeat).State.Health);
        AdvanceOneTick(heartbeat);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}
