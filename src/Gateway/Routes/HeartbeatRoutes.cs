using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Docker;
using DPlaneOS.Actors.Heartbeat;
using DPlaneOS.Actors.Storage;

namespace DPlaneOS.Gateway.Routes;

/// <summary>Read routes over the pool heartbeats and the Docker guard.</summary>
public static class HeartbeatRoutes
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHeartbeatRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/zfs/heartbeat", async (IRequiredActor<StorageSupervisor> storage, CancellationToken ct) =>
                Results.Ok(await storage.ActorRef.Ask<PoolManager.Protocol.Heartbeats>(PoolManager.Protocol.GetHeartbeats.Instance, AskTimeout, ct)))
            .WithTags("ZFS")
            .Produces<PoolManager.Protocol.Heartbeats>()
            .WithSummary("Per pool: heartbeat health (healthy, degraded, failed, notProbeable) with the reason, last probe and last success, a probe out since when, and the mountpoints.");
        routes.MapGet("/api/docker/guard", async (IRequiredActor<StorageSupervisor> storage, CancellationToken ct) =>
                Results.Ok(await storage.ActorRef.Ask<DockerGuard.Protocol.Windows>(DockerGuard.Protocol.GetWindows.Instance, AskTimeout, ct)))
            .WithTags("Docker")
            .Produces<DockerGuard.Protocol.Windows>()
            .WithSummary("Pools in a failure window with the containers the guard stopped, and stops or starts under way or waiting to retry.");
        return routes;
    }
}
