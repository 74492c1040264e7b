using DPlaneOS.Actors.Storage.Docker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>Host adapters of the pool heartbeats and the Docker guard in DI (the actors: <see cref="Storage.StorageSupervisor"/>).</summary>
public static class HeartbeatSetup
{
    /// <summary>The real prober and Docker client; registered with TryAdd so tests can put fakes first.</summary>
    public static IServiceCollection AddPoolHeartbeat(this IServiceCollection services, DPlaneOSOptions options)
    {
        services.TryAddSingleton<IPoolProber>(sp => new FilePoolProber(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDockerEngine>(_ => new DockerEngine(options.Docker.Endpoint));
        return services;
    }
}
