using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Pattern;
using DPlaneOS.Actors.Heartbeat;
using DPlaneOS.Actors.Storage.Capacity;

namespace DPlaneOS.Actors.Storage;

/// <summary>
/// <c>/user/storage</c>: parent of the storage actors. Each child runs under a backoff supervisor
/// (1 s doubling to 30 s), so a child that keeps crashing cannot spin the CPU, and a crash in one
/// never touches another.
/// </summary>
public sealed class StorageSupervisor : ReceiveActor
{
    public StorageSupervisor()
    {
        var resolver = DependencyResolver.For(Context.System);
        var health = Context.ActorOf(Backoff(resolver.Props<ZfsHealthActor>(), "health"), "health");
        var capacity = Context.ActorOf(Backoff(resolver.Props<CapacityGuardian>(), "capacity"), "capacity");
        Receive<ZfsHealthActor.Protocol.GetView>(message => health.Forward(message));
        Receive<CapacityGuardian.Protocol.IRequest>(message => capacity.Forward(message));
        var (pools, docker) = HeartbeatSetup.StartPoolManagerAndDockerGuard(Context, resolver);
        Receive<PoolManager.Protocol.GetHeartbeats>(message => pools.Forward(message));
        Receive<Docker.DockerGuard.Protocol.GetWindows>(message => docker.Forward(message));
    }

    internal static Props Backoff(Props child, string name) =>
        BackoffSupervisor.Props(
            Akka.Pattern.Backoff.OnFailure(child, name, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)
                .WithAutoReset(TimeSpan.FromMinutes(1)));
}
