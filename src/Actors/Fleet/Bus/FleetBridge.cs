using Akka.Cluster.Tools.PublishSubscribe;
using LocalTopic = DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Fleet.Bus;

/// <summary>
/// The local bus ⇄ the fleet topic, one per fleet incarnation (it lives in the fleet actor system). It takes this
/// node's own events from the safety plane's <see cref="MonitorBus.Topic"/> and publishes them on the fleet's
/// distributed topic; the other nodes' events it gets from there go to the local <see cref="MonitorBus.FleetTopic"/>,
/// which only the WebSocket sessions read, so this node's router, sinks, audit and Docker guard never act on them.
/// </summary>
/// <remarks>
/// The safety plane only ever tells it (the local mediator sends to a subscriber and never waits); when the fleet
/// system ends, the bridge stops, unsubscribes, and the mediator drops it.
/// </remarks>
public sealed class FleetBridge : ReceiveActor
{
    /// <summary>The fleet's distributed pub-sub topic of every node's events.</summary>
    public const string Topic = "fleet.monitor";

    private readonly IActorRef _localBus;

    public FleetBridge(IActorRef localBus, string nodeName)
    {
        _localBus = localBus;
        var fleet = DistributedPubSub.Get(Context.System).Mediator;
        Receive<MonitorEvent>(monitorEvent =>
        {
            if (string.Equals(monitorEvent.Node, nodeName, StringComparison.Ordinal))
                fleet.Tell(new Publish(Topic, new FleetMonitorEvent(monitorEvent)));
        });
        Receive<FleetMonitorEvent>(remote =>
        {
            // Its own events come back from the distributed topic too: never echoed.
            if (!string.Equals(remote.Event.Node, nodeName, StringComparison.Ordinal))
                _localBus.Tell(new LocalTopic.Publish(MonitorBus.FleetTopic, remote.Event));
        });
        Receive<LocalTopic.SubscribeAck>(_ => { });
        Receive<LocalTopic.UnsubscribeAck>(_ => { });
        Receive<SubscribeAck>(_ => { });
    }

    public static Props Props(IActorRef localBus, string nodeName) => Akka.Actor.Props.Create(() => new FleetBridge(localBus, nodeName));

    protected override void PreStart()
    {
        _localBus.Tell(new LocalTopic.Subscribe(MonitorBus.Topic, Self));
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(Topic, Self));
    }

    protected override void PostStop() => _localBus.Tell(new LocalTopic.Unsubscribe(MonitorBus.Topic, Self));
}
