using Akka.Hosting;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Storage.Pools;

namespace DPlaneOS.Gateway.Routes;

/// <summary>Read routes over the pool heartbeats (<see cref="PoolManager"/>) and the <see cref="DockerGuard"/>, each asked directly.</summary>
public static class HeartbeatRoutes
{
    public static IEndpointRouteBuilder MapHeartbeatRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/zfs/heartbeat", async (IRequiredActor<PoolManager> pools, CancellationToken ct) =>
                await ActorQuery.OkAsync<PoolManager.Protocol.Heartbeats>(await pools.GetAsync(ct), PoolManager.Protocol.GetHeartbeats.Instance, ct))
            .WithTags("ZFS")
            .Produces<PoolManager.Protocol.Heartbeats>()
            .WithSummary("Per pool: heartbeat health (healthy, degraded, failed, notProbeable) with the reason, last probe and last success, a probe out since when, and the mountpoints.");
        routes.MapGet("/api/docker/guard", async (IRequiredActor<DockerGuard> guard, CancellationToken ct) =>
                await ActorQuery.OkAsync<DockerGuard.Protocol.Windows>(await guard.GetAsync(ct), DockerGuard.Protocol.GetWindows.Instance, ct))
            .WithTags("Docker")
            .Produces<DockerGuard.Protocol.Windows>()
            .WithSummary("Pools in a failure window with the containers the guard stopped, and stops or starts under way or waiting to retry.");
        return routes;
    }
}
