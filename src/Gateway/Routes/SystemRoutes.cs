namespace DPlaneOS.Gateway.Routes;

public static class SystemRoutes
{
    public static IEndpointRouteBuilder MapSystemRoutes(this IEndpointRouteBuilder routes)
    {
        var system = routes.MapGroup("/api/system").WithTags("System");
        system.MapActorView<NodeLifecycleActor, NodeLifecycleActor.Protocol.Starts>("/starts", NodeLifecycleActor.Protocol.GetStarts.Instance)
            .WithSummary("When this daemon started, newest first (version, host, time), from the journal.");
        return routes;
    }
}
