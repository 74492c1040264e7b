namespace DPlaneOS.Actors.Alerts;

/// <summary>The topic the alert router publishes <see cref="AlertNotification"/>s on, for every sink.</summary>
public static class AlertBus
{
    public const string Topic = "alerts";

    public static void Publish(ActorSystem system, AlertNotification notification) => LocalBus.Get(system).Publish(Topic, notification);

    public static void Subscribe(ActorSystem system, IActorRef subscriber) => LocalBus.Get(system).Subscribe(Topic, subscriber);
}
