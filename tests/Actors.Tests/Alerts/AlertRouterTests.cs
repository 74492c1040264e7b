using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Persistence;
using DPlaneOS.Actors.Node;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>
/// The router actor on virtual time (Akka's TestScheduler drives both its timers and its clock), an
/// in-memory journal with the daemon's serializer bindings, and a probe as the pub/sub mediator.
/// </summary>
public sealed class AlertRouterTests : TestKit
{
    /// <summary>The node the events of these tests come from.</summary>
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");

    private static readonly Config VirtualTime = ConfigurationFactory.ParseString("""
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "dplaned.conf"))));

    private static readonly AlertOptions Timing = new();
    private readonly TestProbe _mediator;

    public AlertRouterTests() : base(VirtualTime)
    {
        _mediator = CreateTestProbe("mediator");
    }

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private sealed class SchedulerClock(IScheduler scheduler) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => scheduler.Now.ToUniversalTime();
    }

    private IActorRef StartRouter(string persistenceId = "alert-router-test")
    {
        return Sys.ActorOf(AlertRouter.Props(persistenceId, _mediator.Ref, Timing, new SchedulerClock(Sys.Scheduler)));
    }

    /// <summary>Sends the events and waits until the router has journalled and applied them (its timers are set).</summary>
    private IReadOnlyList<ActiveAlert> Send(IActorRef router, params MonitorEvent[] events)
    {
        foreach (var monitorEvent in events) router.Tell(monitorEvent);
        return Active(router);
    }

    private IReadOnlyList<ActiveAlert> Active(IActorRef router)
    {
        router.Tell(AlertRouter.Protocol.GetActiveAlerts.Instance, TestActor);
        return ExpectMsg<AlertRouter.Protocol.ActiveAlerts>().Items;
    }

    private MonitorEvent Event(Severity severity, string type = "pool.degraded", string subject = "tank") =>
        MonitorEvent.Create(TestNode, type, severity, subject, Sys.Scheduler.Now, new Dictionary<string, string> { ["pool"] = subject });

    private AlertNotification ExpectNotification(AlertNotificationKind kind, string key = "pool.degraded|tank")
    {
        var publish = _mediator.ExpectMsg<Publish>();
        Assert.Equal(AlertBus.Topic, publish.Topic);
        var notification = Assert.IsType<AlertNotification>(publish.Message);
        Assert.Equal(kind, notification.Kind);
        Assert.Equal(key, notification.Key);
        return notification;
    }

    private void ExpectNothingPublished() => _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(150));

    [Fact]
    public void Nothing_goes_out_before_the_hysteresis_window_and_one_notice_after_it_without_a_second_event()
    {
        var router = StartRouter();
        var raisedAt = Sys.Scheduler.Now;
        Send(router, Event(Severity.Warning));

        Scheduler.Advance(TimeSpan.FromSeconds(29));
        ExpectNothingPublished();
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        var raised = ExpectNotification(AlertNotificationKind.Raised);
        Assert.Equal(Severity.Warning, raised.Severity);
        Assert.Equal(raisedAt + TimeSpan.FromSeconds(30), raised.At);

        Scheduler.Advance(TimeSpan.FromHours(1));
        ExpectNothingPublished();
        var active = Assert.Single(Active(router));
        Assert.True(active.Notified);
        Assert.Equal(raisedAt, active.FirstSeen);
        Assert.Equal(raisedAt + TimeSpan.FromSeconds(30), active.LastNotified);
        Assert.Equal("tank", active.Data["pool"]);
    }

    [Fact]
    public void Info_events_are_not_alerts()
    {
        var router = StartRouter();
        Assert.Empty(Send(router, Event(Severity.Info)));
        Scheduler.Advance(TimeSpan.FromMinutes(10));
        ExpectNothingPublished();
    }

    [Fact]
    public void A_repeat_within_the_cooldown_is_held_back_and_sent_when_it_ends()
    {
        var router = StartRouter();
        Send(router, Event(Severity.Warning));
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        ExpectNotification(AlertNotificationKind.Raised);

        Scheduler.Advance(TimeSpan.FromMinutes(1));
        Send(router, Event(Severity.Warning));
        ExpectNothingPublished();
        Scheduler.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        ExpectNothingPublished();
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        ExpectNotification(AlertNotificationKind.Repeated);

        // After a full cooldown a report goes out at once.
        Scheduler.Advance(TimeSpan.FromMinutes(5));
        Send(router, Event(Severity.Warning));
        ExpectNotification(AlertNotificationKind.Repeated);
        ExpectNothingPublished();
    }

    [Fact]
    public void An_escalation_goes_out_at_once()
    {
        var router = StartRouter();
        Send(router, Event(Severity.Warning));
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        ExpectNotification(AlertNotificationKind.Raised);

        Scheduler.Advance(TimeSpan.FromSeconds(5));
        router.Tell(Event(Severity.Critical));
        var escalated = ExpectNotification(AlertNotificationKind.Escalated);
        Assert.Equal(Severity.Critical, escalated.Severity);
    }

    [Fact]
    public void A_notified_condition_that_clears_sends_one_resolved()
    {
        var router = StartRouter();
        Send(router, Event(Severity.Critical));
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        ExpectNotification(AlertNotificationKind.Raised);

        router.Tell(Event(Severity.Resolved));
        Assert.Equal(Severity.Resolved, ExpectNotification(AlertNotificationKind.Resolved).Severity);
        Assert.Empty(Send(router, Event(Severity.Resolved)));
        Scheduler.Advance(TimeSpan.FromMinutes(10));
        ExpectNothingPublished();
    }

    [Fact]
    public void A_condition_that_clears_before_its_window_ends_sends_nothing_ever()
    {
        var router = StartRouter();
        Send(router, Event(Severity.Warning));
        Scheduler.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(Send(router, Event(Severity.Resolved)));
        Scheduler.Advance(TimeSpan.FromMinutes(10));
        ExpectNothingPublished();
    }

    [Fact]
    public void A_restart_sends_nothing_twice_and_a_pending_window_still_ends_once_on_time()
    {
        var router = StartRouter("alert-router-restart");
        var start = Sys.Scheduler.Now;
        Send(router, Event(Severity.Warning));
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        ExpectNotification(AlertNotificationKind.Raised);
        Send(router, Event(Severity.Warning, type: "pool.scrub-errors")); // pending until start + 60 s
        Scheduler.Advance(TimeSpan.FromSeconds(10));
        Stop(router);

        var second = StartRouter("alert-router-restart");
        var active = Active(second).ToDictionary(a => a.Key);
        Assert.True(active["pool.degraded|tank"].Notified);
        Assert.False(active["pool.scrub-errors|tank"].Notified);
        Assert.Equal(start + TimeSpan.FromSeconds(30), active["pool.scrub-errors|tank"].FirstSeen);
        ExpectNothingPublished();

        // The cooldown survived: a repeat now is held back.
        Send(second, Event(Severity.Warning));
        ExpectNothingPublished();

        Scheduler.Advance(TimeSpan.FromSeconds(19));
        ExpectNothingPublished();
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        ExpectNotification(AlertNotificationKind.Raised, "pool.scrub-errors|tank");
        ExpectNothingPublished();

        // ... and the held-back repeat goes out when the journalled cooldown ends (start + 30 s + 5 min).
        Scheduler.Advance(start + TimeSpan.FromSeconds(30) + TimeSpan.FromMinutes(5) - Sys.Scheduler.Now);
        ExpectNotification(AlertNotificationKind.Repeated);
        Scheduler.Advance(TimeSpan.FromHours(1));
        ExpectNothingPublished();
    }

    [Fact]
    public void A_window_that_ended_while_the_router_was_down_fires_once_after_recovery()
    {
        var router = StartRouter("alert-router-down");
        Send(router, Event(Severity.Critical));
        Scheduler.Advance(TimeSpan.FromSeconds(10));
        Stop(router);
        Scheduler.Advance(TimeSpan.FromMinutes(2));
        ExpectNothingPublished();

        var second = StartRouter("alert-router-down");
        Active(second);
        Scheduler.Advance(TimeSpan.Zero);
        ExpectNotification(AlertNotificationKind.Raised);
        Scheduler.Advance(TimeSpan.FromHours(1));
        ExpectNothingPublished();
    }

    [Fact]
    public void After_a_snapshot_and_a_trimmed_journal_a_restart_still_has_every_active_condition()
    {
        var router = StartRouter("alert-router-snapshot");
        Send(router, Event(Severity.Critical, subject: "backup"));
        // Then 150 flaps that never notify (raised + dropped = 300 records) pass the snapshot interval;
        // the journal is trimmed up to the snapshot, so the backup condition survives only in it.
        for (var i = 0; i < 150; i++)
        {
            router.Tell(Event(Severity.Warning));
            router.Tell(Event(Severity.Resolved));
        }
        Active(router);
        Scheduler.Advance(TimeSpan.FromSeconds(10));
        Stop(router);

        var second = StartRouter("alert-router-snapshot");
        var active = Assert.Single(Active(second));
        Assert.Equal("pool.degraded|backup", active.Key);
        Assert.False(active.Notified);
        Scheduler.Advance(TimeSpan.FromSeconds(20));
        ExpectNotification(AlertNotificationKind.Raised, "pool.degraded|backup");
        ExpectNothingPublished();
    }

    [Fact]
    public void An_acknowledged_condition_leaves_the_list_silently_for_good_and_its_next_event_starts_anew()
    {
        var router = StartRouter("alert-router-ack");
        Send(router, Event(Severity.Warning, type: "gitops.apply.failed", subject: "apply-1"));
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        ExpectNotification(AlertNotificationKind.Raised, "gitops.apply.failed|apply-1");
        Send(router, Event(Severity.Warning, type: "pool.degraded")); // pending, untouched by the acknowledgement

        router.Tell(new AlertRouter.Protocol.Acknowledge("gitops.apply.failed|apply-1", "admin"), TestActor);
        var acknowledged = ExpectMsg<AlertRouter.Protocol.Acknowledged>();
        Assert.Equal(("gitops.apply.failed|apply-1", "admin", true), (acknowledged.Alert.Key, acknowledged.By, acknowledged.Alert.Notified));
        Assert.Equal(["pool.degraded|tank"], Active(router).Select(a => a.Key));
        router.Tell(new AlertRouter.Protocol.Acknowledge("gitops.apply.failed|apply-1", "admin"), TestActor);
        Assert.Equal("gitops.apply.failed|apply-1", ExpectMsg<AlertRouter.Protocol.NotActive>().Key);

        // Nobody is told about the acknowledgement, and it survives a restart.
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        ExpectNotification(AlertNotificationKind.Raised, "pool.degraded|tank");
        ExpectNothingPublished();
        Stop(router);
        var second = StartRouter("alert-router-ack");
        Assert.Equal(["pool.degraded|tank"], Active(second).Select(a => a.Key));

        // The next failure of that kind is a new condition with its own hysteresis window.
        var again = Send(second, Event(Severity.Warning, type: "gitops.apply.failed", subject: "apply-1"));
        Assert.False(again.Single(a => a.Key == "gitops.apply.failed|apply-1").Notified);
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        ExpectNotification(AlertNotificationKind.Raised, "gitops.apply.failed|apply-1");
    }

    [Fact]
    public void Every_router_record_goes_through_the_stable_name_serializer_and_back()
    {
        var monitorEvent = Event(Severity.Critical);
        var notification = new AlertNotification("n1", "pool.degraded|tank", AlertNotificationKind.Escalated, Severity.Critical, monitorEvent, Sys.Scheduler.Now);
        var condition = new AlertCondition("pool.degraded|tank", "pool.degraded", "tank", Severity.Critical, monitorEvent.Time,
            Sys.Scheduler.Now, Severity.Warning, RepeatDue: true, monitorEvent);
        IPersistedEvent[] records =
        [
            new ConditionRaised(condition.Key, monitorEvent, monitorEvent.Time),
            new ConditionObserved(condition.Key, monitorEvent, monitorEvent.Time),
            new ConditionDropped(condition.Key, monitorEvent, monitorEvent.Time),
            new ConditionAcknowledged(condition.Key, "admin", monitorEvent.Time),
            new AlertNotified(notification),
            new AlertRouterSnapshot([condition]),
        ];

        foreach (var record in records)
        {
            var serializer = Assert.IsType<PersistedJsonSerializer>(Sys.Serialization.FindSerializerFor(record));
            var manifest = serializer.Manifest(record);
            Assert.StartsWith("alerts.", manifest);
            var back = serializer.FromBinary(serializer.ToBinary(record), manifest);
            Assert.Equal(record.GetType(), back.GetType());
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(record, record.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
        }

        var snapshot = (AlertRouterSnapshot)Sys.Serialization.Deserialize(
            Sys.Serialization.Serialize(records[^1]), PersistedJsonSerializer.SerializerId, "alerts.router-snapshot.v1");
        var restored = Assert.Single(snapshot.Conditions);
        Assert.True(restored.RepeatDue);
        Assert.Equal(Severity.Warning, restored.NotifiedSeverity);
        Assert.Equal("tank", restored.LastEvent.Data["pool"]);
    }

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }
}
