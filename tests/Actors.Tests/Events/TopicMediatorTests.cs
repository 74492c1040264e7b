using Akka.Actor;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Events;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests.Events;

/// <summary>The local bus: topics, acknowledgements, order, and subscribers that leave or stop.</summary>
public sealed class TopicMediatorTests : TestKit
{
    private IActorRef Bus => LocalBus.Get(Sys).Mediator;

    private Task<int> Count(string topic) => Bus.Ask<int>(new CountSubscribers(topic), TimeSpan.FromSeconds(5));

    [Fact]
    public void One_mediator_per_actor_system_as_a_system_actor()
    {
        Assert.Same(LocalBus.Get(Sys), LocalBus.Get(Sys));
        Assert.Equal("/system/bus", Bus.Path.ToStringWithoutAddress());
    }

    [Fact]
    public void The_subscriber_is_acknowledged_even_when_subscribed_from_outside_an_actor_and_then_gets_everything_published()
    {
        var subscriber = CreateTestProbe();
        Bus.Tell(new Subscribe("monitor", subscriber.Ref), ActorRefs.NoSender);
        Assert.Equal("monitor", subscriber.ExpectMsg<SubscribeAck>().Subscribe.Topic);

        foreach (var i in Enumerable.Range(1, 50)) Bus.Tell(new Publish("monitor", i));
        foreach (var i in Enumerable.Range(1, 50)) subscriber.ExpectMsg(i);
    }

    [Fact]
    public void A_message_goes_to_its_topics_subscribers_only_with_the_publisher_as_sender()
    {
        var monitor = CreateTestProbe();
        var alerts = CreateTestProbe();
        Bus.Tell(new Subscribe("monitor", monitor.Ref));
        Bus.Tell(new Subscribe("alerts", alerts.Ref));
        monitor.ExpectMsg<SubscribeAck>();
        alerts.ExpectMsg<SubscribeAck>();

        Bus.Tell(new Publish("monitor", "pool.failed"), TestActor);
        Bus.Tell(new Publish("alerts", "raised"));
        Bus.Tell(new Publish("nobody-listens", "dropped"));

        Assert.Equal("pool.failed", monitor.ExpectMsg<string>());
        Assert.Equal(TestActor, monitor.LastSender);
        // The alert subscriber's first message is its own: the monitor event never reached it.
        Assert.Equal("raised", alerts.ExpectMsg<string>());
    }

    [Fact]
    public void An_unsubscribed_actor_gets_nothing_more_from_that_topic()
    {
        var leaving = CreateTestProbe();
        Bus.Tell(new Subscribe("monitor", leaving.Ref));
        Bus.Tell(new Subscribe("alerts", leaving.Ref));
        leaving.ExpectMsg<SubscribeAck>();
        leaving.ExpectMsg<SubscribeAck>();

        Bus.Tell(new Unsubscribe("monitor", leaving.Ref));
        Assert.Equal("monitor", leaving.ExpectMsg<UnsubscribeAck>().Unsubscribe.Topic);
        Bus.Tell(new Publish("monitor", "after"));
        Bus.Tell(new Publish("alerts", "still subscribed here"));

        // Published after "after" by the same sender, so it would have come second.
        Assert.Equal("still subscribed here", leaving.ExpectMsg<string>());
    }

    [Fact]
    public async Task A_subscriber_that_stops_is_dropped_from_every_topic()
    {
        var stopping = CreateTestProbe();
        Bus.Tell(new Subscribe("monitor", stopping.Ref));
        Bus.Tell(new Subscribe("alerts", stopping.Ref));
        stopping.ExpectMsg<SubscribeAck>();
        stopping.ExpectMsg<SubscribeAck>();
        Assert.Equal(1, await Count("monitor"));

        Sys.Stop(stopping.Ref);

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(0, await Count("monitor"));
            Assert.Equal(0, await Count("alerts"));
        }, TimeSpan.FromSeconds(5));
    }
}
