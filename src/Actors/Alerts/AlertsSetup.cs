using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Configuration;

namespace DPlaneOS.Actors.Alerts;

/// <summary>Starts <c>/user/alerts</c> and registers it for the gateway (<c>IRequiredActor&lt;AlertsSupervisor&gt;</c>).</summary>
public static class AlertsSetup
{
    public static void StartAlerts(this ActorSystem system, IActorRegistry registry, DPlaneOSOptions options, TimeProvider time)
    {
        options.Alerts.Validate();
        registry.Register<AlertsSupervisor>(system.ActorOf(AlertsSupervisor.Props(options.Alerts, time), "alerts"));
    }
}
