using Akka.Actor;
using Akka.TestKit;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.TestSupport;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>
/// A restart of the daemon, end to end on the real bus: the alert router (under its real parent, which
/// subscribes to the monitor topic) recovers a notified condition from its journal, and the fresh producers'
/// first statements end it with exactly one resolved notification, or say nothing when nothing is held.
/// </summary>
public sealed class RestartResolutionTests : VirtualTimeTestKit
{
    /// <summary>The node the events of these tests come from.</summary>
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");

    private static readonly AlertOptions Timing = new();
    private readonly FakeMountZfs _mounts = new();
    private readonly FakePoolProber _prober = new();
    private readonly FakeDockerEngine _docker = new();
    private readonly SchedulerClock _clock;
    private readonly TestProbe _notifications;
    private int _incarnation;

    public RestartResolutionTests()
    {
        _clock = new SchedulerClock(Sys.Scheduler);
        _mounts.Mounted("tank", "/tank");
        _docker.Run("c1", "nextcloud", "/tank/apps/nextcloud");
        _notifications = CreateTestProbe();
        AlertBus.Subscribe(Sys, _notifications.Ref);
        _notifications.ExpectMsg<SubscribeAck>();
    }

    private sealed class SchedulerClock(IScheduler scheduler) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => scheduler.Now.ToUniversalTime();
    }

    /// <summary>The alerting parent as the daemon starts it: subscribed before any producer publishes.</summary>
    private IActorRef StartAlerts()
    {
        var alerts = Sys.ActorOf(AlertsSupervisor.Props(Timing, _clock, TestNode), $"alerts-{++_incarnation}");
        MonitorBus.Subscribe(Sys, alerts);
        return alerts;
    }

    private IReadOnlyList<ActiveAlert> Active(IActorRef alerts)
    {
        var probe = CreateTestProbe();
        alerts.Tell(AlertRouter.Protocol.GetActiveAlerts.Instance, probe.Ref);
        return probe.ExpectMsg<AlertRouter.Protocol.ActiveAlerts>().Items;
    }

    private void StopActor(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    private AlertNotification NextNotification() =>
        Assert.IsType<AlertNotification>(_notifications.ExpectMsg<AlertNotification>(TimeSpan.FromSeconds(5)));

    /// <summary>The first run of the daemon: the events are published, the hysteresis passes, every condition is notified; then it stops.</summary>
    private void FirstRunNotifies(params MonitorEvent[] events)
    {
        var alerts = StartAlerts();
        foreach (var monitorEvent in events) MonitorBus.Publish(Sys, monitorEvent);
        AwaitCondition(() => Active(alerts).Count == events.Length);
        Scheduler.Advance(Timing.Hysteresis);
        var raised = Enumerable.Range(0, events.Length).Select(_ => NextNotification()).ToList();
        Assert.All(raised, n => Assert.Equal(AlertNotificationKind.Raised, n.Kind));
        StopActor(alerts);
    }

    /// <summary>A heartbeat as the pool manager starts it after a restart of the daemon: from the initial state.</summary>
    private IActorRef StartFreshHeartbeat()
    {
        var keeper = CreateTestProbe();
        var heartbeat = Sys.ActorOf(Props.Create(() => new PoolHeartbeatActor("tank", keeper.Ref,
            new HeartbeatOptions { Interval = TimeSpan.FromSeconds(30), Deadline = TimeSpan.FromSeconds(10) }, _mounts, _prober, _clock, TestNode)));
        keeper.ExpectMsg<PoolManager.Protocol.ResumeHeartbeat>();
        keeper.Reply(new PoolManager.Protocol.HeartbeatResumed(PoolHeartbeatState.Initial, null));
        // Answered only once resumed, so the tick timer is scheduled from here on.
        heartbeat.Tell(PoolHeartbeatActor.Protocol.GetStatus.Instance, keeper.Ref);
        keeper.FishForMessage<PoolManager.Protocol.HeartbeatReport>(_ => true);
        Scheduler.Advance(TimeSpan.Zero);
        AwaitCondition(() => _prober.Probes("/tank") == 1);
        return heartbeat;
    }

    private MonitorEvent PoolFailed() => MonitorEvent.Create(TestNode, PoolEvents.Failed, Severity.Critical, "tank", _clock.GetUtcNow(),
        new Dictionary<string, string> { [PoolEvents.MountpointsKey] = "/tank" });

    [Fact]
    public void A_recovered_pool_failed_is_resolved_once_by_the_first_healthy_probe_after_the_restart()
    {
        FirstRunNotifies(PoolFailed());

        var alerts = StartAlerts();
        Assert.True(Assert.Single(Active(alerts)).Notified);
        StartFreshHeartbeat();

        var resolved = NextNotification();
        Assert.Equal((AlertNotificationKind.Resolved, "pool.failed|tank", PoolEvents.Healthy), (resolved.Kind, resolved.Key, resolved.Event.Type));
        for (var i = 0; i < 5; i++) Scheduler.Advance(TimeSpan.FromSeconds(30));
        _notifications.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Empty(Active(alerts));
    }

    [Fact]
    public void With_nothing_held_the_first_statements_send_nothing()
    {
        var alerts = StartAlerts();
        StartFreshHeartbeat();
        var guardian = Sys.ActorOf(Props.Create(() => new CapacityGuardian(new CapacityOptions(), new FakeZpool(), new FakeZfs().WithPool("tank", used: 500_000_000, available: 500_000_000), _clock, TestNode)));
        guardian.Tell(Reading(50));
        Scheduler.Advance(Timing.Hysteresis);
        Scheduler.Advance(Timing.Cooldown);
        _notifications.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Empty(Active(alerts));
    }

    [Fact]
    public void A_recovered_capacity_warning_is_resolved_once_by_the_first_reading_after_the_restart()
    {
        FirstRunNotifies(MonitorEvent.Create(TestNode, "capacity.warning", Severity.Warning, "tank", _clock.GetUtcNow()));

        var alerts = StartAlerts();
        Assert.Equal("capacity|tank", Assert.Single(Active(alerts)).Key);
        var guardian = Sys.ActorOf(Props.Create(() => new CapacityGuardian(new CapacityOptions(), new FakeZpool(), new FakeZfs().WithPool("tank", used: 500_000_000, available: 500_000_000), _clock, TestNode)));
        guardian.Tell(Reading(50));

        var resolved = NextNotification();
        Assert.Equal((AlertNotificationKind.Resolved, "capacity|tank", "capacity.ok"), (resolved.Kind, resolved.Key, resolved.Event.Type));
        guardian.Tell(Reading(51));
        Scheduler.Advance(Timing.Cooldown);
        _notifications.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Empty(Active(alerts));
    }

    [Fact]
    public void A_reboot_after_a_pool_failure_ends_the_pool_and_docker_alerts_and_closes_the_docker_window()
    {
        // First run: the pool fails, the guard stops its container, both alerts go out.
        var alerts = StartAlerts();
        var guard = Sys.ActorOf(Props.Create(() => new DockerGuard(new DockerOptions(), TestNode, _docker, _clock)), "docker-1");
        Assert.Empty(WindowsOf(guard));
        MonitorBus.Publish(Sys, PoolFailed());
        AwaitCondition(() => Active(alerts).Count == 2);
        Scheduler.Advance(Timing.Hysteresis);
        Assert.Equal(["docker.stopped|tank", "pool.failed|tank"], new[] { NextNotification(), NextNotification() }.Select(n => n.Key).Order());
        StopActor(guard);
        StopActor(alerts);

        // After the reboot the pool is fine: its fresh heartbeat's first probe ends everything, once.
        alerts = StartAlerts();
        guard = Sys.ActorOf(Props.Create(() => new DockerGuard(new DockerOptions(), TestNode, _docker, _clock)), "docker-2");
        Assert.Equal("tank", Assert.Single(WindowsOf(guard)).Pool);
        StartFreshHeartbeat();
        var resolved = new[] { NextNotification(), NextNotification() };
        Assert.All(resolved, n => Assert.Equal(AlertNotificationKind.Resolved, n.Kind));
        Assert.Equal(["docker.stopped|tank", "pool.failed|tank"], resolved.Select(n => n.Key).Order());
        Assert.Equal(DockerEvents.Restartable, resolved.Single(n => n.Key == "docker.stopped|tank").Event.Type);
        AwaitCondition(() => WindowsOf(guard).Count == 0);
        Scheduler.Advance(Timing.Cooldown);
        _notifications.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Empty(Active(alerts));
    }

    private IReadOnlyList<FailureWindow> WindowsOf(IActorRef guard)
    {
        var probe = CreateTestProbe();
        guard.Tell(DockerGuard.Protocol.GetWindows.Instance, probe.Ref);
        return probe.ExpectMsg<DockerGuard.Protocol.Windows>().Open;
    }

    /// <summary>What the health actor publishes after a read: tank at <paramref name="percent"/> of 1 GB.</summary>
    private CapacityGuardian.Protocol.StatusObserved Reading(int percent)
    {
        var zpool = new FakeZpool { ListText = $"tank\t1G\t{percent * 10}M\t{1000 - percent * 10}M\t{percent}%\tONLINE\n" };
        return new CapacityGuardian.Protocol.StatusObserved(new ZfsStatusReading(
            _clock.GetUtcNow(),
            HostResult<IReadOnlyList<PoolStatus>>.Ok([]),
            zpool.ListAsync().Result,
            HostResult<IReadOnlyList<IostatEntry>>.Ok([]),
            HostResult<IReadOnlyList<ZpoolEvent>>.Ok([]),
            new Dictionary<string, DeviceResolution>()));
    }
}
