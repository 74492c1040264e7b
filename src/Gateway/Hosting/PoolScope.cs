using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Gateway.Hosting;

/// <summary>Wraps whichever <see cref="IZpool"/> is registered (the real command, or a test's fake) in <see cref="PoolScopedZpool"/>.</summary>
internal static class PoolScope
{
    public static IServiceCollection LimitZpoolTo(this IServiceCollection services, ZfsOptions options)
    {
        options.Validate();
        if (options.Pools.Count == 0) return services;
        var registered = services.Last(d => d.ServiceType == typeof(IZpool));
        services.Remove(registered);
        var pools = options.Pools.ToArray();
        return services.AddSingleton<IZpool>(sp => new PoolScopedZpool(Inner(sp, registered), pools));
    }

    private static IZpool Inner(IServiceProvider services, ServiceDescriptor registered) =>
        (IZpool)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
