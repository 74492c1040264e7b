using Akka.DependencyInjection;
using DPlaneOS.Actors.Hosting;

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
        void Start<TActor>(string name, bool restartOnStop = false) where TActor : ActorBase
        {
            var props = resolver.Props<TActor>();
            var child = restartOnStop ? supervision.RestartOnStopOrFailure(Context, props, name) : supervision.RestartOnFailure(Context, props, name);
            registry.Register<TActor>(child, overwrite: true);
        }

        Start<Health.ZfsHealthActor>("health");
        Start<Capacity.CapacityGuardian>("capacity");
        // A persistent actor stops itself when the journal fails; restarted on a stop as well as on a
        // crash, the guard comes back once the database does.
        Start<Docker.DockerGuard>("docker", restartOnStop: true);
        Start<Pools.PoolManager>("pools");
        Receive<Terminated>(terminated => supervision.GaveUp(terminated.ActorRef));
    }
}
