using Akka.Hosting;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Heartbeat;
using DPlaneOS.Actors.Storage;

namespace DPlaneOS.Gateway.Routes;

/// <summary>Read routes over the pool heartbeats and the Docker guard.</summary>
public static class HeartbeatRoutes
{
    public static IEndpointRouteBuilder MapHeartbeatRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/zfs/heartbeat", (IRequiredActor<StorageSupervisor> storage, CancellationToken ct) =>
                ActorQuery.OkAsync<PoolManager.Protocol.Heartbeats>(storage.ActorRef, PoolManager.Protocol.GetHeartbeats.Instance, ct))
            .WithTags("ZFS")
            .Produces<PoolManager.Protocol.Heartbeats>()
            .WithSummary("Per pool: heartbeat health (healthy, degraded, failed, notProbeable) with the reason, last probe and last success, a probe out since when, and the mountpoints.");
        routes.MapGet("/api/docker/guard", (IRequiredActor<StorageSupervisor> storage, CancellationToken ct) =>
                ActorQuery.OkAsync<DockerGuard.Protocol.Windows>(storage.ActorRef, DockerGuard.Protocol.GetWindows.Instance, ct))
            .WithTags("Docker")
            .Produces<DockerGuard.Protocol.Windows>()
            .WithSummary("Pools in a failure window with the containers the guard stopped, and stops or starts under way or waiting to retry.");
        return routes;
    }
}
