using DPlaneOS.Actors.Watch;
using DPlaneOS.Zfs.Watch;

namespace DPlaneOS.Gateway.Routes;

/// <summary>/api/monitoring: the file watcher's inotify report, served from <see cref="FileWatchActor"/>'s cached view.</summary>
public static class WatchRoutes
{
    public static IEndpointRouteBuilder MapWatchRoutes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/monitoring").WithTags("Monitoring");
        group.MapCachedActorView<FileWatchActor, InotifyReport>("/inotify", FileWatchActor.Protocol.GetInotify.Instance)
            .WithSummary("inotify watches of the busiest user (the sum of 'inotify wd:' lines in /proc/*/fdinfo) against max_user_watches, instances against max_user_instances, level and per-user counts.");
        return routes;
    }
}
