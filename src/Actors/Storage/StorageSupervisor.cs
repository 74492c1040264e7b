using Akka.DependencyInjection;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Actors.Storage.Pools;

namespace DPlaneOS.Actors.Storage;

/// <summary>
/// <c>/user/storage</c>: parent of the storage actors, and nothing else. Each child runs under a backoff
/// supervisor (<see cref="Supervision"/>), so a child that keeps crashing cannot spin the CPU, and a crash
/// in one never touches another. Each is registered under its own type, so the gateway asks it directly
/// (<c>IRequiredActor&lt;PoolManager&gt;</c>); a new storage query is a message in its actor's protocol.
/// </summary>
public sealed class StorageSupervisor : ReceiveActor
{
    public StorageSupervisor()
    {
        var resolver = DependencyResolver.For(Context.System);
        var supervision = Supervision.For(Context.System);
        var registry = ActorRegistry.For(Context.System);
        // Registered again (overwrite) should this parent ever be restarted with new children.
        registry.Register<ZfsHealthActor>(supervision.RestartOnFailure(Context, resolver.Props<ZfsHealthActor>(), "health"), overwrite: true);
        registry.Register<CapacityGuardian>(supervision.RestartOnFailure(Context, resolver.Props<CapacityGuardian>(), "capacity"), overwrite: true);
        // A persistent actor stops itself when the journal fails; restarted on a stop as well as on a
        // crash, the guard comes back once the database does.
        registry.Register<DockerGuard>(supervision.RestartOnStopOrFailure(Context, resolver.Props<DockerGuard>(), "docker"), overwrite: true);
        registry.Register<PoolManager>(supervision.RestartOnFailure(Context, resolver.Props<PoolManager>(), "pools"), overwrite: true);
        Receive<Terminated>(terminated => supervision.GaveUp(terminated.ActorRef));
    }
}
