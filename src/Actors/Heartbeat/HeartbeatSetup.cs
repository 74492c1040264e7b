using Akka.Actor;
using Akka.DependencyInjection;
using DPlaneOS.Actors.Configuration;
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
    public static (IActorRef Pools, IActorRef Docker) StartPoolManagerAndDockerGuard(IActorContext context, DependencyResolver resolver)
    {
        var docker = context.ActorOf(PersistentBackoff(resolver.Props<DockerGuard>(), "docker"), "docker");
        var pools = context.ActorOf(Storage.StorageSupervisor.Backoff(resolver.Props<PoolManager>(), "pools"), "pools");
        return (pools, docker);
    }

    /// <summary>
    /// A persistent actor stops itself when the journal fails; restart it (with backoff) on a stop as
    /// well as on a crash, so the guard comes back once the database does.
    /// </summary>
    internal static Props PersistentBackoff(Props child, string name) =>
        Akka.Pattern.BackoffSupervisor.Props(
            Akka.Pattern.Backoff.OnStop(child, name, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)
                .WithDefaultStoppingStrategy()
                .WithAutoReset(TimeSpan.FromMinutes(1)));
}
