namespace DPlaneOS.Actors.Alerts;

/// <summary>Starts <c>/user/alerts</c> and registers it for the gateway (<c>IRequiredActor&lt;AlertsSupervisor&gt;</c>).</summary>
public static class AlertsSetup
{
    /// <summary>
    /// Call before any producer starts. The subscription is sent from here, not from an actor's
    /// PreStart (which runs later, on another thread), so it reaches the mediator before any producer's
    /// first publish: pub/sub drops what nobody is subscribed to yet, and a producer that publishes only
    /// on change (capacity ok → warning at the first reading) would otherwise never be alerted on.
    /// </summary>
    public static AkkaConfigurationBuilder AddAlertActors(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) =>
        {
            var options = resolver.GetService<AlertOptions>();
            options.Validate();
            var alerts = system.ActorOf(AlertsSupervisor.Props(options, resolver.GetService<TimeProvider>(), resolver.GetService<NodeIdentity>()), "alerts");
            MonitorBus.Subscribe(system, alerts);
            registry.Register<AlertsSupervisor>(alerts);
        });
}
