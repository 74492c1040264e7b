namespace DPlaneOS.Actors.Node;

/// <summary>Starts <c>/user/lifecycle</c>, which journals this start of the daemon.</summary>
public static class NodeSetup
{
    public static AkkaConfigurationBuilder AddNodeActors(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) =>
        {
            var version = typeof(NodeSetup).Assembly.GetName().Version?.ToString() ?? "unknown";
            var time = resolver.GetService<TimeProvider>();
            var node = resolver.GetService<NodeIdentity>();
            var lifecycle = system.ActorOf(Props.Create(() => new NodeLifecycleActor(version, time, node)), "lifecycle");
            registry.Register<NodeLifecycleActor>(lifecycle);
        });
}
