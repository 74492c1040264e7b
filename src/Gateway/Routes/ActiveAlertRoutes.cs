using Akka.Hosting;
using DPlaneOS.Actors.Alerts;

namespace DPlaneOS.Gateway.Routes;

/// <summary>The alert router's active conditions: pending (inside the hysteresis window) and notified.</summary>
public static class ActiveAlertRoutes
{
    public static IEndpointRouteBuilder MapActiveAlertRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/alerts", (IRequiredActor<AlertsSupervisor> alerts, CancellationToken ct) =>
                ActorQuery.OkAsync<AlertRouter.Protocol.ActiveAlerts>(alerts.ActorRef, AlertRouter.Protocol.GetActiveAlerts.Instance, ct))
            .WithTags("Alerts")
            .Produces<AlertRouter.Protocol.ActiveAlerts>()
            .WithSummary("Active warning and critical conditions, oldest first: key (type|subject), severity, first seen, " +
                         "whether and when it was last notified, and the data of its newest event.");
        return routes;
    }
}
