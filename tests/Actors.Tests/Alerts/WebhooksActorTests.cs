using Akka.Actor;
using Akka.Persistence;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport.Alerts;
using Protocol = DPlaneOS.Actors.Alerts.Webhooks.WebhooksActor.Protocol;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class WebhooksActorTests : AlertSinkTestKit
{
    private IActorRef Start(IWebhookSender sender, OutboxSinkSettings? settings = null)
    {
        var sinkSettings = settings ?? Settings();
        return Sys.ActorOf(Props.Create(() => new WebhooksActor(sender, sinkSettings)));
    }

    private WebhookView Create(IActorRef actor, string json) =>
        View<WebhookView>(Reply<SinkReply>(actor, new Protocol.Create(WebhookRequest(json))));

    private WebhookView Get(IActorRef actor, int id) => View<WebhookView>(Reply<SinkReply>(actor, new Protocol.Get(id)));

    private void Quiet(TimeSpan time) => ExpectNoMsg(time);

    [Fact]
    public void A_notification_goes_once_to_each_webhook_whose_filter_and_severity_want_it()
    {
        var sender = new FakeWebhookSender();
        var actor = Start(sender);
        var pools = Create(actor, """{"name":"pools","url":"http://127.0.0.1/p","events":["pool.*"],"minimumSeverity":"warning"}""");
        var capacity = Create(actor, """{"name":"capacity","url":"http://127.0.0.1/c","events":["capacity.*"],"minimumSeverity":"critical"}""");
        Create(actor, """{"name":"off","url":"http://127.0.0.1/o","enabled":false}""");

        var degraded = AlertTesting.Notification("pool.degraded", Severity.Warning, "tank");
        var capacityWarning = AlertTesting.Notification("capacity.critical", Severity.Warning, "tank");
        var capacityCritical = AlertTesting.Notification("capacity.critical", Severity.Critical, "tank");
        var info = AlertTesting.Notification("pool.scrub_done", Severity.Info, "tank");
        foreach (var notification in new[] { degraded, capacityWarning, capacityCritical, info }) actor.Tell(notification);

        AwaitCondition(() => sender.Delivered.Count == 2);
        Quiet(TimeSpan.FromMilliseconds(300));
        Assert.Equal([(pools.Id, degraded.Id), (capacity.Id, capacityCritical.Id)],
            sender.Attempts.Select(a => (a.WebhookId, a.Message.Id)).Order());
    }

    [Fact]
    public void A_failing_receiver_is_retried_with_growing_delays_until_it_answers_and_gets_the_delivery_once()
    {
        var sender = new FakeWebhookSender();
        var failures = 0;
        sender.Respond = (_, _) => Interlocked.Increment(ref failures) <= 3 ? FakeWebhookSender.Unavailable : DeliveryOutcome.Success(200, 1);
        var actor = Start(sender);
        var hook = Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        var times = new List<DateTimeOffset>();
        var notification = AlertTesting.Notification("pool.failed", Severity.Critical, "tank");
        actor.Tell(notification);

        AwaitCondition(() => sender.Delivered.Count == 1, TimeSpan.FromSeconds(5));
        Quiet(TimeSpan.FromMilliseconds(300));
        Assert.Equal(4, sender.Attempts.Count);
        Assert.All(sender.Attempts, a => Assert.Equal(notification.Id, a.Message.Id));

        var view = Get(actor, hook.Id);
        Assert.Equal(0, view.Delivery.Pending);
        Assert.Equal(notification.Id, view.Delivery.LastSuccess!.NotificationId);
        Assert.Equal(200, view.Delivery.LastSuccess.StatusCode);
        Assert.Equal(503, view.Delivery.LastFailure!.StatusCode);
        Assert.Equal("HTTP 503 Service Unavailable", view.Delivery.LastFailure.Error);
        Assert.True(view.Delivery.LastSuccess.At - view.Delivery.LastFailure.At >= TimeSpan.FromMilliseconds(200),
            "the fourth attempt waits the third backoff step (200 ms)");
    }

    [Fact]
    public void A_delivery_is_journalled_before_its_attempt_so_a_restart_mid_attempt_delivers_it_and_a_later_restart_never_again()
    {
        var hanging = new FakeWebhookSender { Gate = new TaskCompletionSource() };
        var actor = Start(hanging);
        Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        var notification = AlertTesting.Notification("pool.failed", Severity.Critical, "tank");
        actor.Tell(notification);
        AwaitCondition(() => hanging.Attempts.Count == 1);
        StopAndWait(actor);
        Assert.Empty(hanging.Delivered);

        var second = new FakeWebhookSender();
        actor = Start(second);
        AwaitCondition(() => second.Delivered.Count == 1);
        Assert.Equal(notification.Id, second.Delivered.Single().Message.Id);
        Quiet(TimeSpan.FromMilliseconds(200));
        StopAndWait(actor);

        var third = new FakeWebhookSender();
        actor = Start(third);
        Assert.Equal(0, Get(actor, 1).Delivery.Pending);
        actor.Tell(notification);
        Quiet(TimeSpan.FromMilliseconds(500));
        Assert.Empty(third.Attempts);
    }

    [Fact]
    public void After_a_restart_waiting_deliveries_go_out_oldest_first()
    {
        var down = new FakeWebhookSender { Respond = (_, _) => FakeWebhookSender.Unavailable };
        var actor = Start(down);
        Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        var notifications = Enumerable.Range(0, 3).Select(i => AlertTesting.Notification("pool.failed", Severity.Critical, $"p{i}")).ToList();
        foreach (var notification in notifications) actor.Tell(notification);
        AwaitCondition(() => down.Attempts.Count >= 3);
        StopAndWait(actor);

        var up = new FakeWebhookSender();
        actor = Start(up);
        AwaitCondition(() => up.Delivered.Count == 3);
        Assert.Equal(notifications.Select(n => n.Id), up.Delivered.Select(d => d.Message.Id));
    }

    [Fact]
    public void A_notification_that_arrives_twice_is_delivered_once()
    {
        var sender = new FakeWebhookSender();
        var actor = Start(sender);
        Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        var notification = AlertTesting.Notification("pool.failed", Severity.Critical, "tank");
        actor.Tell(notification);
        actor.Tell(notification);
        AwaitCondition(() => sender.Delivered.Count == 1);
        actor.Tell(notification);
        Quiet(TimeSpan.FromMilliseconds(300));
        Assert.Single(sender.Attempts);
    }

    [Fact]
    public void A_resolution_reaches_only_the_webhooks_that_were_told_about_the_condition()
    {
        var sender = new FakeWebhookSender();
        var actor = Start(sender);
        var warned = Create(actor, """{"name":"warnings","url":"http://127.0.0.1/w","events":["pool.*"],"minimumSeverity":"warning"}""");
        Create(actor, """{"name":"critical-only","url":"http://127.0.0.1/c","events":["pool.*"],"minimumSeverity":"critical"}""");

        var raised = AlertTesting.Notification("pool.degraded", Severity.Warning, "tank");
        actor.Tell(raised);
        AwaitCondition(() => sender.Delivered.Count == 1);
        var resolved = AlertTesting.Resolution(raised);
        actor.Tell(resolved);
        actor.Tell(AlertTesting.Resolution(AlertTesting.Notification("pool.degraded", Severity.Warning, "never-raised")));
        AwaitCondition(() => sender.Delivered.Count == 2);
        Quiet(TimeSpan.FromMilliseconds(300));

        Assert.Equal([(warned.Id, raised.Id), (warned.Id, resolved.Id)], sender.Attempts.Select(a => (a.WebhookId, a.Message.Id)));
        Assert.Equal("resolved", sender.Attempts[1].Message.Kind);
    }

    [Fact]
    public void An_unavailable_receiver_gets_one_probe_per_backoff_step_and_then_everything_in_order()
    {
        var sender = new FakeWebhookSender { Respond = (_, _) => FakeWebhookSender.Unavailable };
        var actor = Start(sender);
        Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        var notifications = Enumerable.Range(0, 5).Select(i => AlertTesting.Notification("pool.failed", Severity.Critical, $"pool{i}")).ToList();
        foreach (var notification in notifications) actor.Tell(notification);

        // Probes at about 0, 50, 150, 350 and 550 ms; without the hold every pending delivery would be tried each step.
        Quiet(TimeSpan.FromMilliseconds(600));
        var probes = sender.Attempts;
        Assert.InRange(probes.Count, 1, 8);
        Assert.All(probes, p => Assert.Equal(notifications[0].Id, p.Message.Id));

        sender.Respond = (_, _) => DeliveryOutcome.Success(200, 1);
        AwaitCondition(() => sender.Delivered.Count == 5, TimeSpan.FromSeconds(5));
        Quiet(TimeSpan.FromMilliseconds(300));
        Assert.Equal(notifications.Select(n => n.Id), sender.Delivered.Select(d => d.Message.Id));
    }

    [Fact]
    public void A_receiver_refusing_one_body_does_not_hold_back_the_others()
    {
        var sender = new FakeWebhookSender();
        var refused = AlertTesting.Notification("pool.failed", Severity.Critical, "poison");
        sender.Respond = (_, message) => message.Id == refused.Id ? DeliveryOutcome.Failure(400, "HTTP 400 Bad Request", 1) : DeliveryOutcome.Success(200, 1);
        var actor = Start(sender);
        Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        var fine = AlertTesting.Notification("pool.failed", Severity.Critical, "tank");
        actor.Tell(refused);
        actor.Tell(fine);

        AwaitCondition(() => sender.Delivered.Count == 1);
        AwaitCondition(() => sender.Attempts.Count(a => a.Message.Id == refused.Id) >= 3);
        Assert.Equal(fine.Id, sender.Delivered.Single().Message.Id);
    }

    [Fact]
    public void A_delivery_still_failing_when_too_old_is_given_up_and_reported()
    {
        var sender = new FakeWebhookSender { Respond = (_, _) => DeliveryOutcome.Failure(null, "Connection refused (127.0.0.1:9)", 1) };
        var retry = new RetrySchedule(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), 0);
        var actor = Start(sender, Settings(retry));
        var hook = Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        actor.Tell(AlertTesting.Notification("pool.failed", Severity.Critical, "tank"));

        AwaitCondition(() => Get(actor, hook.Id).Delivery.Pending == 0, TimeSpan.FromSeconds(5));
        var attempts = sender.Attempts.Count;
        Quiet(TimeSpan.FromMilliseconds(300));
        Assert.Equal(attempts, sender.Attempts.Count);
        var failure = Get(actor, hook.Id).Delivery.LastFailure!;
        Assert.StartsWith($"gave up after {attempts} attempts", failure.Error);
        Assert.EndsWith("Connection refused (127.0.0.1:9)", failure.Error);
    }

    [Fact]
    public void A_full_outbox_drops_its_oldest_delivery_and_says_so()
    {
        // The first attempt hangs, so no attempt failure overwrites the drop as the last failure.
        var sender = new FakeWebhookSender { Gate = new TaskCompletionSource() };
        var actor = Start(sender, Settings(maxPending: 3));
        var hook = Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        var notifications = Enumerable.Range(0, 5).Select(i => AlertTesting.Notification("pool.failed", Severity.Critical, $"pool{i}")).ToList();
        foreach (var notification in notifications) actor.Tell(notification);

        AwaitAssert(() => Assert.Equal(3, Get(actor, hook.Id).Delivery.Pending));
        var failure = Get(actor, hook.Id).Delivery.LastFailure!;
        Assert.Equal(notifications[1].Id, failure.NotificationId);
        Assert.Equal("dropped unsent: more than 3 deliveries were waiting", failure.Error);
    }

    [Fact]
    public void Deleting_a_webhook_drops_its_pending_deliveries()
    {
        var sender = new FakeWebhookSender { Respond = (_, _) => FakeWebhookSender.Unavailable };
        var actor = Start(sender);
        var hook = Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        actor.Tell(AlertTesting.Notification("pool.failed", Severity.Critical, "tank"));
        AwaitCondition(() => sender.Attempts.Count >= 1);

        Assert.IsType<SinkReply.Deleted>(Reply<SinkReply>(actor, new Protocol.Delete(hook.Id)));
        var attempts = sender.Attempts.Count;
        Quiet(TimeSpan.FromMilliseconds(500));
        Assert.Equal(attempts, sender.Attempts.Count);
        Assert.Empty(Reply<WebhookList>(actor, Protocol.List.Instance).Webhooks);
        Assert.IsType<SinkReply.NotFound>(Reply<SinkReply>(actor, new Protocol.Get(hook.Id)));
    }

    [Fact]
    public void Unknown_ids_are_not_found_and_duplicate_names_conflict()
    {
        var actor = Start(new FakeWebhookSender());
        Create(actor, """{"name":"h","url":"http://127.0.0.1/h"}""");
        Assert.Equal("No webhook with id 9", Assert.IsType<SinkReply.NotFound>(Reply<SinkReply>(actor, new Protocol.Get(9))).Detail);
        Assert.IsType<SinkReply.NotFound>(Reply<SinkReply>(actor, new Protocol.Replace(9, WebhookRequest("""{"name":"x","url":"http://127.0.0.1/h"}"""))));
        Assert.IsType<SinkReply.NotFound>(Reply<SinkReply>(actor, new Protocol.Delete(9)));
        Assert.IsType<SinkReply.NotFound>(Reply<SinkReply>(actor, new Protocol.Test(9)));
        Assert.IsType<SinkReply.Conflict>(Reply<SinkReply>(actor, new Protocol.Create(WebhookRequest("""{"name":"H","url":"http://127.0.0.1/x"}"""))));
    }

    [Fact]
    public void The_test_delivers_a_synthetic_notification_now_even_to_a_disabled_webhook_and_queues_nothing()
    {
        var sender = new FakeWebhookSender();
        var actor = Start(sender);
        var hook = Create(actor, """{"name":"h","url":"http://127.0.0.1/h","enabled":false,"events":["pool.*"]}""");
        var result = View<TestDelivery>(Reply<SinkReply>(actor, new Protocol.Test(hook.Id)));
        Assert.Equal(new TestDelivery(true, 200, 1, null), result);
        var attempt = sender.Attempts.Single();
        Assert.Equal(WebhooksActor.TestEventType, attempt.Message.Type);
        Assert.Equal("test", attempt.Message.Kind);
        Assert.Equal("h", attempt.Message.Subject);
        Assert.Equal(0, Get(actor, hook.Id).Delivery.Pending);
        Assert.Null(Get(actor, hook.Id).Delivery.LastSuccess);
    }

    [Fact]
    public void Hundreds_of_deliveries_survive_snapshots_and_journal_compaction()
    {
        var sender = new FakeWebhookSender();
        var actor = Start(sender);
        var hook = Create(actor, """{"name":"h","url":"http://127.0.0.1/h","secret":"kept-across-snapshots"}""");
        var notifications = Enumerable.Range(0, 120).Select(i => AlertTesting.Notification("pool.failed", Severity.Critical, $"p{i}")).ToList();
        foreach (var notification in notifications) actor.Tell(notification);
        AwaitCondition(() => sender.Delivered.Count == 120, TimeSpan.FromSeconds(10));
        StopAndWait(actor);

        // 1 + 240 records were written; a snapshot every 100 lets all but the newest be deleted.
        var persistence = Akka.Persistence.Persistence.Instance.Apply(Sys);
        persistence.SnapshotStoreFor(null).Tell(new LoadSnapshot(WebhooksActor.JournalId, SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        var snapshot = ExpectMsg<LoadSnapshotResult>().Snapshot;
        Assert.IsType<WebhookJournal.WebhooksSnapshot>(snapshot?.Snapshot);
        persistence.JournalFor(null).Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, WebhooksActor.JournalId, TestActor), TestActor);
        var replayed = 0;
        while (ExpectMsg<object>() is ReplayedMessage) replayed++;
        Assert.InRange(replayed, 0, 99);

        var after = new FakeWebhookSender();
        actor = Start(after);
        var view = Get(actor, hook.Id);
        Assert.True(view.HasSecret);
        Assert.Equal(0, view.Delivery.Pending);
        Assert.Equal(notifications[^1].Id, view.Delivery.LastSuccess!.NotificationId);
        actor.Tell(notifications[^1]);
        var fresh = AlertTesting.Notification("pool.failed", Severity.Critical, "new");
        actor.Tell(fresh);
        AwaitCondition(() => after.Delivered.Count == 1);
        Quiet(TimeSpan.FromMilliseconds(300));
        Assert.Equal(fresh.Id, after.Attempts.Single().Message.Id);
        Assert.Equal("kept-across-snapshots", after.Attempts.Single().Webhook.Secret);
    }

    [Fact]
    public void The_stored_secrets_are_told_only_to_whoever_asks_for_them_by_label_never_printed()
    {
        var actor = Start(new FakeWebhookSender());
        Create(actor, """{"name":"signed","url":"https://hooks.example/","secret":"original-secret-123","headers":{"X-Key":"header-value-1"}}""");
        Create(actor, """{"name":"chat","url":"https://hooks.slack.com/services/T000/B000/XXXXSECRET"}""");
        Create(actor, """{"name":"plain","url":"https://hooks.example"}""");

        var stored = Reply<StoredSecrets>(actor, GetStoredSecrets.Instance);
        Assert.Equal(
            [
                ("webhook-1-secret", "original-secret-123"),
                ("webhook-1-header-X-Key", "header-value-1"),
                ("webhook-2-url", "https://hooks.slack.com/services/T000/B000/XXXXSECRET"),
            ],
            stored.Secrets.Select(s => (s.Label, s.Value)));
        Assert.DoesNotContain("original-secret-123", stored.ToString());
        Assert.DoesNotContain("XXXXSECRET", stored.ToString());
        Assert.DoesNotContain("header-value-1", stored.Secrets[1].ToString());
    }
}
