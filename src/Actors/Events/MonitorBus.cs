namespace DPlaneOS.Actors.Events;

/// <summary>The one topic every observation goes to, on the node's <see cref="LocalBus"/>.</summary>
public static class MonitorBus
{
    public const string Topic = "monitor";

    public static void Publish(ActorSystem system, MonitorEvent monitorEvent) => LocalBus.Get(system).Publish(Topic, monitorEvent);

    /// <summary>Subscribes <paramref name="subscriber"/>; it receives <see cref="TopicMediator.Protocol.SubscribeAck"/> once live.</summary>
    public static void Subscribe(ActorSystem system, IActorRef subscriber) => LocalBus.Get(system).Subscribe(Topic, subscriber);

    public static void Unsubscribe(ActorSystem system, IActorRef subscriber) => LocalBus.Get(system).Unsubscribe(Topic, subscriber);
}
