using Akka.Actor;
using Akka.DependencyInjection;
using DPlaneOS.Actors.Heartbeat;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Storage.Capacity;

namespace DPlaneOS.Actors.Storage;

/// <summary>
/// <c>/user/storage</c>: parent of the storage actors. Each child runs under a backoff supervisor
/// (<see cref="Supervision"/>), so a child that keeps crashing cannot spin the CPU, and a crash in one
/// never touches another.
/// </summary>
public sealed class StorageSupervisor : ReceiveActor
{
    public StorageSupervisor()
    {
        var resolver = DependencyResolver.For(Context.System);
        var supervision = Supervision.For(Context.System);
        var health = supervision.RestartOnFailure(Context, resolver.Props<ZfsHealthActor>(), "health");
        var capacity = supervision.RestartOnFailure(Context, resolver.Props<CapacityGuardian>(), "capacity");
        Receive<ZfsHealthActor.Protocol.GetView>(message => health.Forward(message));
        Receive<CapacityGuardian.Protocol.IRequest>(message => capacity.Forward(message));
        var (pools, docker) = HeartbeatSetup.StartPoolManagerAndDockerGuard(Context, resolver, supervision);
        Receive<PoolManager.Protocol.GetHeartbeats>(message => pools.Forward(message));
        Receive<Docker.DockerGuard.Protocol.GetWindows>(message => docker.Forward(message));
        Receive<Terminated>(terminated => supervision.GaveUp(terminated.ActorRef));
    }
}
