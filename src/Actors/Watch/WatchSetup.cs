using DPlaneOS.Actors.Hosting;

namespace DPlaneOS.Actors.Watch;

/// <summary>Starts <c>/user/watch</c> (<see cref="FileWatchActor"/>) under backoff.</summary>
public static class WatchSetup
{
    /// <summary>Bad watch settings throw here, so the daemon does not start with them.</summary>
    public static AkkaConfigurationBuilder AddWatchActors(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) =>
        {
            var options = resolver.GetService<WatchOptions>();
            options.Validate();
            var node = resolver.GetService<NodeIdentity>();
            var time = resolver.GetService<TimeProvider>();
            var watch = Supervision.For(system).RestartOnFailure(system, Props.Create(() => new FileWatchActor(options, node, time)), "watch");
            registry.Register<FileWatchActor>(watch);
        });
}
