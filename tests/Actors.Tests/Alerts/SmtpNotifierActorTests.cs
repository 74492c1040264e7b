using System.Text.Json;
using Akka.Actor;
using Akka.Persistence;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport.Alerts;
using Protocol = DPlaneOS.Actors.Alerts.Smtp.SmtpNotifierActor.Protocol;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class SmtpNotifierActorTests : AlertSinkTestKit
{
    private IActorRef Start(ISmtpSender sender)
    {
        var settings = Settings();
        return Sys.ActorOf(Props.Create(() => new SmtpNotifierActor(sender, settings)));
    }

    private static SmtpSettingsInput Request(string json) => SinkInputs.Smtp(json);

    private SmtpSettingsView Configure(IActorRef actor, string json) =>
        View<SmtpSettingsView>(Reply<SinkReply>(actor, new Protocol.Update(Request(json))));

    [Fact]
    public void Unconfigured_it_sends_nothing_and_its_test_says_why()
    {
        var sender = new FakeSmtpSender();
        var actor = Start(sender);
        Assert.False(Reply<SmtpSettingsView>(actor, Protocol.GetSettings.Instance).Configured);
        Assert.Contains("not configured", Assert.IsType<SinkReply.Conflict>(Reply<SinkReply>(actor, Protocol.Test.Instance)).Detail);
        actor.Tell(AlertTesting.Notification("pool.failed", Severity.Critical, "tank"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(sender.Sends);
    }

    [Fact]
    public void Notifications_at_or_above_the_minimum_severity_are_mailed_once_with_the_stored_password()
    {
        var sender = new FakeSmtpSender();
        var actor = Start(sender);
        var view = Configure(actor, """
            {"host":"127.0.0.1","port":2525,"security":"starttls","username":"alerts","password":"s3cret-pass",
             "from":"nas@example.net","recipients":["ops@example.net"],"minimumSeverity":"critical"}
            """);
        Assert.Equal("********", view.Password);
        // The form sends the mask back with another change: the password stays.
        Configure(actor, """
            {"host":"127.0.0.1","port":2525,"security":"starttls","username":"alerts","password":"********",
             "from":"nas@example.net","recipients":["ops@example.net","oncall@example.net"],"minimumSeverity":"critical"}
            """);

        var critical = AlertTesting.Notification("pool.failed", Severity.Critical, "tank");
        actor.Tell(AlertTesting.Notification("pool.degraded", Severity.Warning, "tank"));
        actor.Tell(critical);
        AwaitCondition(() => sender.Sends.Count == 1);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        var (settings, message) = sender.Sends.Single();
        Assert.Equal(critical.Id, message.Id);
        Assert.Equal("s3cret-pass", settings.Password);
        Assert.Equal(["ops@example.net", "oncall@example.net"], settings.Recipients);
        Assert.Equal(critical.Id, Reply<SmtpSettingsView>(actor, Protocol.GetSettings.Instance).Delivery.LastSuccess!.NotificationId);
    }

    [Fact]
    public void A_server_that_fails_is_retried_and_the_mail_survives_a_restart()
    {
        var failing = new FakeSmtpSender { Respond = (_, _) => DeliveryOutcome.Failure(null, "Connection refused", 1) };
        var actor = Start(failing);
        Configure(actor, """{"host":"127.0.0.1","port":2525,"security":"none","from":"nas@example.net","recipients":["ops@example.net"]}""");
        var notification = AlertTesting.Notification("pool.failed", Severity.Critical, "tank");
        actor.Tell(notification);
        AwaitCondition(() => failing.Sends.Count >= 2);
        StopAndWait(actor);

        var working = new FakeSmtpSender();
        actor = Start(working);
        AwaitCondition(() => working.Sends.Count == 1);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(notification.Id, working.Sends.Single().Message.Id);
        var delivery = Reply<SmtpSettingsView>(actor, Protocol.GetSettings.Instance).Delivery;
        Assert.Equal(0, delivery.Pending);
        Assert.Equal("Connection refused", delivery.LastFailure!.Error);
    }

    [Fact]
    public void Stored_settings_from_before_with_auth_over_none_load_but_never_reach_the_server_and_say_why()
    {
        // Only an older daemon could have journalled these: today's PUT refuses them.
        var legacy = new SmtpSettings("127.0.0.1", 25, SmtpSecurity.None, "alerts", "legacy-password", "nas@example.net", ["ops@example.net"],
            Severity.Warning, true, null, false, DateTimeOffset.UtcNow);
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter(SmtpNotifierActor.JournalId, new SmtpJournal.SmtpSettingsChanged(legacy))));
        Assert.Equal("written", Reply<string>(writer, "write"));
        StopAndWait(writer);

        var sender = new FakeSmtpSender();
        var actor = Start(sender);
        var view = Reply<SmtpSettingsView>(actor, Protocol.GetSettings.Instance);
        Assert.True(view.Configured);
        Assert.Equal("none", view.Security);

        var test = View<TestDelivery>(Reply<SinkReply>(actor, Protocol.Test.Instance));
        Assert.False(test.Delivered);
        Assert.Contains("in the clear", test.Error);

        actor.Tell(AlertTesting.Notification("pool.failed", Severity.Critical, "tank"));
        AwaitCondition(() => Reply<SmtpSettingsView>(actor, Protocol.GetSettings.Instance).Delivery.LastFailure is not null);
        Assert.Contains("security none", Reply<SmtpSettingsView>(actor, Protocol.GetSettings.Instance).Delivery.LastFailure!.Error);
        Assert.Empty(sender.Sends);
    }

    [Fact]
    public void The_stored_password_is_told_only_to_whoever_asks_for_it()
    {
        var actor = Start(new FakeSmtpSender());
        Assert.Empty(Reply<StoredSecrets>(actor, GetStoredSecrets.Instance).Secrets);
        Configure(actor, """
            {"host":"127.0.0.1","port":2525,"security":"starttls","username":"alerts","password":"s3cret-pass",
             "from":"nas@example.net","recipients":["ops@example.net"]}
            """);
        var stored = Reply<StoredSecrets>(actor, GetStoredSecrets.Instance);
        Assert.Equal([("smtp-password", "s3cret-pass")], stored.Secrets.Select(s => (s.Label, s.Value)));
        Assert.DoesNotContain("s3cret-pass", stored.ToString());
    }

    /// <summary>Journals one record under <paramref name="persistenceId"/>, as an older daemon did, and answers "written".</summary>
    private sealed class JournalWriter : ReceivePersistentActor
    {
        public JournalWriter(string persistenceId, object record)
        {
            PersistenceId = persistenceId;
            Command<string>(_ => Persist(record, _ => Sender.Tell("written")));
        }

        public override string PersistenceId { get; }
    }
}
