using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Watch;

namespace DPlaneOS.Actors.Hosting;

/// <summary>Starts the monitoring actors outside the storage tree, after checking the monitoring settings.</summary>
public static class MonitoringSetup
{
    /// <summary>Bad capacity or watch settings throw here, so the daemon does not start with them.</summary>
    public static void StartMonitoring(this ActorSystem system, IActorRegistry registry, DPlaneOSOptions options)
    {
        options.Capacity.Validate();
        options.Watch.Validate();
        var watch = Supervision.For(system).RestartOnFailure(system,
            Props.Create(() => new FileWatchActor(options.Watch, Akka.DependencyInjection.DependencyResolver.For(system).Resolver.GetService<Node.NodeIdentity>(), TimeProvider.System)), "watch");
        registry.Register<FileWatchActor>(watch);
    }
}
