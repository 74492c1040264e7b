using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Gateway.Routes;

public static class SystemRoutes
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapSystemRoutes(this IEndpointRouteBuilder routes)
    {
        var system = routes.MapGroup("/api/system").WithTags("System");
        system.MapGet("/starts", async (IRequiredActor<NodeLifecycleActor> lifecycle, CancellationToken ct) =>
                Results.Ok(await lifecycle.ActorRef.Ask<NodeLifecycleActor.Protocol.Starts>(NodeLifecycleActor.Protocol.GetStarts.Instance, AskTimeout, ct)))
            .Produces<NodeLifecycleActor.Protocol.Starts>()
            .WithSummary("When this daemon started, newest first (version, host, time), from the journal.");
        return routes;
    }
}
