using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace DPlaneOS.Actors.Events;

/// <summary>
/// The one topic every observation goes to. DistributedPubSub works on a single node and spans
/// the cluster when appliances join one.
/// </summary>
public static class MonitorBus
{
    public const string Topic = "monitor";

    public static void Publish(ActorSystem system, MonitorEvent monitorEvent) =>
        DistributedPubSub.Get(system).Mediator.Tell(new Publish(Topic, monitorEvent));

    /// <summary>
    /// Subscribes <paramref name="subscriber"/>; it receives <see cref="SubscribeAck"/> once live (the
    /// mediator acks the sender, so the subscriber is sent as the sender, also from outside an actor).
    /// </summary>
    public static void Subscribe(ActorSystem system, IActorRef subscriber) =>
        DistributedPubSub.Get(system).Mediator.Tell(new Subscribe(Topic, subscriber), subscriber);

    public static void Unsubscribe(ActorSystem system, IActorRef subscriber) =>
        DistributedPubSub.Get(system).Mediator.Tell(new Unsubscribe(Topic, subscriber));
}
