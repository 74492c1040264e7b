using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Watch;
using DPlaneOS.Zfs.Watch;

namespace DPlaneOS.Gateway.Routes;

public static class WatchRoutes
{
    public static IEndpointRouteBuilder MapWatchRoutes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/monitoring").WithTags("Monitoring");
        group.MapGet("/inotify", async (IRequiredActor<FileWatchActor> watch, SerializedViews cache, CancellationToken ct) =>
                cache.Json(await watch.ActorRef.Ask<InotifyReport>(FileWatchActor.Protocol.GetInotify.Instance, ActorQuery.Timeout, ct), r => r))
            .Produces<InotifyReport>()
            .WithSummary("inotify watches of the busiest user (the sum of 'inotify wd:' lines in /proc/*/fdinfo) against max_user_watches, instances against max_user_instances, level and per-user counts.");
        return routes;
    }
}
