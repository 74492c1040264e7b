using System.Security.Claims;
using DPlaneOS.Gateway.Auth;

namespace DPlaneOS.Gateway.Routes;

/// <summary>The alert router's active conditions: pending (inside the hysteresis window) and notified.</summary>
public static class ActiveAlertRoutes
{
    /// <summary>Body of <c>POST /api/alerts/acknowledge</c>.</summary>
    public sealed record AcknowledgeRequest(string? Key);

    public static IEndpointRouteBuilder MapActiveAlertRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapActorView<AlertsSupervisor, AlertRouter.Protocol.ActiveAlerts>("/api/alerts", AlertRouter.Protocol.GetActiveAlerts.Instance)
            .WithTags("Alerts")
            .WithSummary("Active warning and critical conditions, oldest first: key (type|subject), severity, first seen, " +
                         "whether and when it was last notified, and the data of its newest event.");
        routes.MapPost("/api/alerts/acknowledge", AcknowledgeAsync)
            .RequireTokenRole(TokenRole.Operator)
            .WithTags("Alerts")
            .Produces<AlertRouter.Protocol.Acknowledged>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Takes an active condition off the list without a notification, e.g. a one-shot warning such as " +
                         "gitops.apply.failed that has no natural end. Body {\"key\": \"type|subject\"}; the next event of its kind raises it anew.");
        return routes;
    }

    private static async Task<IResult> AcknowledgeAsync(
        AcknowledgeRequest? body, ClaimsPrincipal user, IRequiredActor<AlertsSupervisor> alerts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Key) || !body.Key.Contains('|', StringComparison.Ordinal))
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["key"] = ["Give the key of an active alert as GET /api/alerts lists it: \"type|subject\", e.g. \"gitops.apply.failed|<apply id>\"."],
            });
        var by = user.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        var reply = await alerts.ActorRef.Ask<object>(new AlertRouter.Protocol.Acknowledge(body.Key, by), ActorQuery.Timeout, ct);
        return reply switch
        {
            AlertRouter.Protocol.Acknowledged acknowledged => Results.Ok(acknowledged),
            AlertRouter.Protocol.NotActive => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such active alert",
                detail: $"No active alert has the key '{body.Key}'; GET /api/alerts lists the active ones (it may have cleared meanwhile)."),
            _ => throw new InvalidOperationException($"unexpected reply {reply.GetType().Name}"),
        };
    }
}
