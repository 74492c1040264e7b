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

    public static LocalBus Get(ActorSystem system) => system.WithExtension<LocalBus, Id>();

    private sealed class Id : ExtensionIdProvider<LocalBus>
    {
        public override LocalBus CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
