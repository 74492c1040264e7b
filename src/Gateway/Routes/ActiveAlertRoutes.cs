using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Alerts;

namespace DPlaneOS.Gateway.Routes;

/// <summary>The alert router's active conditions: pending (inside the hysteresis window) and notified.</summary>
public static class ActiveAlertRoutes
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapActiveAlertRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/alerts", async (IRequiredActor<AlertsSupervisor> alerts, CancellationToken ct) =>
                Results.Ok(await alerts.ActorRef.Ask<AlertRouter.Protocol.ActiveAlerts>(AlertRouter.Protocol.GetActiveAlerts.Instance, AskTimeout, ct)))
            .WithTags("Alerts")
            .Produces<AlertRouter.Protocol.ActiveAlerts>()
            .WithSummary("Active warning and critical conditions, oldest first: key (type|subject), severity, first seen, " +
                         "whether and when it was last notified, and the data of its newest event.");
        return routes;
    }
}
