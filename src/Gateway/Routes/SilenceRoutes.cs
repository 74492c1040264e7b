using System.Security.Claims;
using DPlaneOS.Gateway.Alerts;
using DPlaneOS.Gateway.Auth;

namespace DPlaneOS.Gateway.Routes;

/// <summary>
/// /api/alerts/silences: hold back the notices of matching conditions until a time (a maintenance window when it
/// starts later). Silenced conditions are still tracked and listed by <c>GET /api/alerts</c> with <c>silencedUntil</c>.
/// </summary>
public static class SilenceRoutes
{
    public static IEndpointRouteBuilder MapSilenceRoutes(this IEndpointRouteBuilder routes)
    {
        var silences = routes.MapGroup("/api/alerts/silences").WithTags("Alerts");
        silences.MapActorView<AlertsSupervisor, AlertRouter.Protocol.Silences>("", AlertRouter.Protocol.GetSilences.Instance)
            .WithSummary("Silences that run or are still to come, soonest first.");
        silences.MapPost("", CreateAsync)
            .RequireTokenRole(TokenRole.Operator)
            .Produces<AlertSilence>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .WithSummary("Creates a silence {matchers: {types?, subject?, node?}, starts?, until, comment}: matching conditions are " +
                         "tracked but not notified until it ends; then one notice goes out for each that still holds. Resolutions still go out.");
        silences.MapDelete("/{id}", async (string id, ClaimsPrincipal user, IRequiredActor<AlertsSupervisor> alerts, CancellationToken ct) =>
                await alerts.ActorRef.Ask<object>(new AlertRouter.Protocol.ExpireSilence(id, By(user)), ActorQuery.Timeout, ct) switch
                {
                    AlertSilence ended => Results.Ok(ended),
                    AlertRouter.Protocol.NoSuchSilence => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such silence",
                        detail: $"No running or coming silence has the id '{id}'; GET /api/alerts/silences lists them."),
                    var reply => throw new InvalidOperationException($"unexpected reply {reply.GetType().Name}"),
                })
            .RequireTokenRole(TokenRole.Operator)
            .Produces<AlertSilence>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Ends a silence now; what it held back and still holds is notified at once.");
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, IRequiredActor<AlertsSupervisor> alerts, TimeProvider time, CancellationToken ct)
    {
        var (create, problem) = await JsonBody.ReadAsync(request, body => (SilenceRequest.Parse(body, By(user), time.GetUtcNow(), out var errors), errors), ct);
        if (create is null) return problem!;
        var silence = await alerts.ActorRef.Ask<AlertSilence>(create, ActorQuery.Timeout, ct);
        return Results.Created($"/api/alerts/silences/{silence.Id}", silence);
    }

    private static string By(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? "unknown";
}
