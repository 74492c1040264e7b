using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Storage.Pools;

namespace DPlaneOS.Gateway.Routes;

/// <summary>Read routes over the pool heartbeats (<see cref="PoolManager"/>) and the <see cref="DockerGuard"/>, each asked directly.</summary>
public static class HeartbeatRoutes
{
    public static IEndpointRouteBuilder MapHeartbeatRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapActorView<PoolManager, PoolManager.Protocol.Heartbeats>("/api/zfs/heartbeat", PoolManager.Protocol.GetHeartbeats.Instance)
            .WithTags("ZFS")
            .WithSummary("Per pool: heartbeat health (healthy, degraded, failed, notProbeable) with the reason, last probe and last success, a probe out since when, and the mountpoints.");
        routes.MapActorView<DockerGuard, DockerGuard.Protocol.Windows>("/api/docker/guard", DockerGuard.Protocol.GetWindows.Instance)
            .WithTags("Docker")
            .WithSummary("Pools in a failure window with the containers the guard stopped, and stops or starts under way or waiting to retry.");
        return routes;
    }
}
