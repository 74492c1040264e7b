using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.TestSupport.Lab;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>The daemon's HOCON (serializer bindings) over in-memory journal and snapshot store: each test gets a fresh one.</summary>
public abstract class AlertSinkTestKit : Akka.TestKit.Xunit2.TestKit
{
    protected AlertSinkTestKit() : base(LoadConfig())
    {
    }

    /// <summary>50 ms doubling to 200 ms, no jitter, give up after 5 min.</summary>
    protected static readonly RetrySchedule FastRetry = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(5), 0);

    private static Config LoadConfig() =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(Lab.RepoRoot, "hocon", "dplaned.conf")))
            .WithFallback(ConfigurationFactory.ParseString("""
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                """));

    protected static OutboxSinkSettings Settings(RetrySchedule? retry = null, int maxPending = 1000) =>
        new(retry ?? FastRetry, maxPending, TimeProvider.System, () => 0.0, (_, _) => { }, NodeIdentity.Named("nas1"));

    protected static WebhookInput WebhookRequest(string json) => SinkInputs.Webhook(json);

    /// <summary>Stops <paramref name="actor"/> and waits until it is gone, so a successor recovers from the journal.</summary>
    protected void StopAndWait(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    protected T Reply<T>(IActorRef actor, object message) where T : class
    {
        actor.Tell(message, TestActor);
        return ExpectMsg<T>(TimeSpan.FromSeconds(5));
    }

    protected static T View<T>(SinkReply reply) => Assert.IsType<SinkReply.Ok<T>>(reply).View;
}
