namespace DPlaneOS.Actors.Events;

/// <summary>The one topic every observation goes to, on the node's <see cref="LocalBus"/>.</summary>
public static class MonitorBus
{
    public const string Topic = "monitor";

    /// <summary>
    /// The other nodes' events, as the fleet bridge brings them: read only by the WebSocket sessions, never by
    /// this node's alert router, sinks, audit or Docker guard (each node acts on its own events only).
    /// </summary>
    public const string FleetTopic = "monitor.fleet";

    public static void Publish(ActorSystem system, MonitorEvent monitorEvent) => LocalBus.Get(system).Publish(Topic, monitorEvent);

    /// <summary>Subscribes <paramref name="subscriber"/>; it receives <see cref="TopicMediator.Protocol.SubscribeAck"/> once live.</summary>
    public static void Subscribe(ActorSystem system, IActorRef subscriber) => LocalBus.Get(system).Subscribe(Topic, subscriber);

    public static void Unsubscribe(ActorSystem system, IActorRef subscriber) => LocalBus.Get(system).Unsubscribe(Topic, subscriber);
}
