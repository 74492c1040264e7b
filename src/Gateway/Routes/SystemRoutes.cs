using Akka.Hosting;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Gateway.Routes;

public static class SystemRoutes
{
    public static IEndpointRouteBuilder MapSystemRoutes(this IEndpointRouteBuilder routes)
    {
        var system = routes.MapGroup("/api/system").WithTags("System");
        system.MapGet("/starts", (IRequiredActor<NodeLifecycleActor> lifecycle, CancellationToken ct) =>
                ActorQuery.OkAsync<NodeLifecycleActor.Protocol.Starts>(lifecycle.ActorRef, NodeLifecycleActor.Protocol.GetStarts.Instance, ct))
            .Produces<NodeLifecycleActor.Protocol.Starts>()
            .WithSummary("When this daemon started, newest first (version, host, time), from the journal.");
        return routes;
    }
}
