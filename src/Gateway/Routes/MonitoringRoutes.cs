using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Watch;
using DPlaneOS.Zfs.Monitoring;

namespace DPlaneOS.Gateway.Routes;

public static class MonitoringRoutes
{
    public static IEndpointRouteBuilder MapMonitoringRoutes(this IEndpointRouteBuilder routes)
    {
        var monitoring = routes.MapGroup("/api/monitoring").WithTags("Monitoring");
        monitoring.MapGet("/inotify", async (IRequiredActor<FileWatchActor> watch, SerializedViews cache, CancellationToken ct) =>
                cache.Json(await watch.ActorRef.Ask<InotifyReport>(FileWatchActor.Protocol.GetInotify.Instance, ActorQuery.Timeout, ct), r => r))
            .Produces<InotifyReport>()
            .WithSummary("inotify watches of the busiest user (the sum of 'inotify wd:' lines in /proc/*/fdinfo) against max_user_watches, instances against max_user_instances, level and per-user counts.");
        return routes;
    }
}
