using Akka.Actor;
using Akka.DependencyInjection;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Storage.Docker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DPlaneOS.Actors.Heartbeat;

/// <summary>Wiring of the pool heartbeats and the Docker guard: host adapters in DI, actors under <c>/user/storage</c>.</summary>
public static class HeartbeatSetup
{
    /// <summary>The real prober and Docker client; registered with TryAdd so tests can put fakes first.</summary>
    public static IServiceCollection AddPoolHeartbeat(this IServiceCollection services, DPlaneOSOptions options)
    {
        services.TryAddSingleton<IPoolProber>(sp => new FilePoolProber(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDockerEngine>(_ => new DockerEngine(options.Docker.Endpoint));
        return services;
    }

    /// <summary>Starts <c>pools</c> (<see cref="PoolManager"/>) and <c>docker</c> (<see cref="DockerGuard"/>) as children of the caller.</summary>
    public static (IActorRef Pools, IActorRef Docker) StartPoolManagerAndDockerGuard(IActorContext context, DependencyResolver resolver, Supervision supervision)
    {
        // A persistent actor stops itself when the journal fails; restarted on a stop as well as on a
        // crash, the guard comes back once the database does.
        var docker = supervision.RestartOnStopOrFailure(context, resolver.Props<DockerGuard>(), "docker");
        var pools = supervision.RestartOnFailure(context, resolver.Props<PoolManager>(), "pools");
        return (pools, docker);
    }
}
