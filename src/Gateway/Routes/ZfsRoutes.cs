using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Storage;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Gateway.Routes;

/// <summary>
/// Read routes over the ZFS read model held by <see cref="ZfsHealthActor"/>. Each request asks the
/// actor for its current immutable view; no request starts a process.
/// </summary>
public static class ZfsRoutes
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapZfsRoutes(this IEndpointRouteBuilder routes)
    {
        var zfs = routes.MapGroup("/api/zfs").WithTags("ZFS");
        MapView(zfs, "/health", v => v.Health,
            "Pools, state, vdev tree, per-disk SMART and risk with reasons, and when they were last read.");
        MapView(zfs, "/iostat", v => v.Iostat,
            "Per pool and vdev: space, operations and bandwidth (averages since import).");
        MapView(zfs, "/events", v => v.Events,
            "The newest ZFS events. Read-only: never clears the kernel's event log. supported=false on zfs-fuse.");
        MapView(zfs, "/capacity", v => v.Capacity,
            "Per pool: size, used, free, used percent and level (ok / warning / critical / emergency).");
        return routes;
    }

    private static void MapView<TReport>(RouteGroupBuilder group, string path, Func<ZfsHealthView, TReport> select, string summary)
        where TReport : class =>
        group.MapGet(path, async (IRequiredActor<StorageSupervisor> storage, SerializedViews cache, CancellationToken ct) =>
                cache.Json(await ViewAsync(storage, ct), select))
            .Produces<TReport>()
            .WithSummary(summary);

    private static Task<ZfsHealthView> ViewAsync(IRequiredActor<StorageSupervisor> storage, CancellationToken ct) =>
        storage.ActorRef.Ask<ZfsHealthView>(ZfsHealthActor.Protocol.GetView.Instance, AskTimeout, ct);
}
