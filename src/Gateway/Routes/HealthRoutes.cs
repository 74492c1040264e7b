namespace DPlaneOS.Gateway.Routes;

public static class HealthRoutes
{
    /// <summary><c>GET /healthz</c>: liveness, the one route without a token (the OTA health check calls it).</summary>
    public static IEndpointRouteBuilder MapHealthRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Ok(new LivenessResponse("ok")))
            .AllowAnonymous()
            .WithName("Liveness")
            .WithSummary("Liveness probe; needs no token.");
        return routes;
    }
}

public sealed record LivenessResponse(string Status);
