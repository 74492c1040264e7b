namespace DPlaneOS.Actors.Events;

/// <summary>
/// The one <see cref="TopicMediator"/> of an actor system (<c>/system/bus</c>, created at first use):
/// the monitor and alert topics go through it. A system actor, so it outlives every user actor at
/// shutdown. The fleet bridge (a later plane) subscribes to it like any other subscriber.
/// </summary>
public sealed class LocalBus : IExtension
{
    private LocalBus(ExtendedActorSystem system) => Mediator = system.SystemActorOf(Props.Create<TopicMediator>(), "bus");

    public IActorRef Mediator { get; }

    public void Publish(string topic, object message) => Mediator.Tell(new TopicMediator.Protocol.Publish(topic, message));

    /// <summary>Subscribes <paramref name="subscriber"/> to <paramref name="topic"/>; it receives a <see cref="TopicMediator.Protocol.SubscribeAck"/> once live.</summary>
    public void Subscribe(string topic, IActorRef subscriber) => Mediator.Tell(new TopicMediator.Protocol.Subscribe(topic, subscriber));

    public void Unsubscribe(string topic, IActorRef subscriber) => Mediator.Tell(new TopicMediator.Protocol.Unsubscribe(topic, subscriber));

    public static LocalBus Get(ActorSystem system) => system.WithExtension<LocalBus, Id>();

    private sealed class Id : ExtensionIdProvider<LocalBus>
    {
        public override LocalBus CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
