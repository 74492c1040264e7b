using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;

namespace DPlaneOS.Actors.Tests.Fleet;

/// <summary>
/// Test actor inside a fleet actor system: follows the membership as that node sees it (member events,
/// initial state as events) and completes a waiter when a condition holds, checked at once and after
/// every change; <see cref="Protocol.Snapshot"/> replies with the membership as it stands.
/// </summary>
internal sealed class MembershipProbe : ReceiveActor
{
    private ImmutableDictionary<UniqueAddress, MemberStatus> _members = ImmutableDictionary<UniqueAddress, MemberStatus>.Empty;
    private readonly List<Protocol.Await> _waiting = [];

    public static class Protocol
    {
        public sealed record Await(Func<ImmutableDictionary<UniqueAddress, MemberStatus>, bool> Condition, TaskCompletionSource Done);

        public sealed record Snapshot
        {
            public static readonly Snapshot Instance = new();
        }
    }

    public MembershipProbe()
    {
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            _members = e is ClusterEvent.MemberRemoved ? _members.Remove(e.Member.UniqueAddress) : _members.SetItem(e.Member.UniqueAddress, e.Member.Status);
            _waiting.RemoveAll(Check);
        });
        Receive<Protocol.Await>(a =>
        {
            if (!Check(a))
                _waiting.Add(a);
        });
        Receive<Protocol.Snapshot>(_ => Sender.Tell(_members));
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private bool Check(Protocol.Await a)
    {
        if (!a.Condition(_members))
            return false;
        a.Done.TrySetResult();
        return true;
    }

    /// <summary>Completes when <paramref name="condition"/> holds for <paramref name="probe"/>'s membership.</summary>
    public static Task WhenAsync(IActorRef probe, Func<ImmutableDictionary<UniqueAddress, MemberStatus>, bool> condition, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Tell(new Protocol.Await(condition, done));
        return done.Task.WaitAsync(timeout);
    }

    /// <summary>Exactly these members, all Up.</summary>
    public static Func<ImmutableDictionary<UniqueAddress, MemberStatus>, bool> ExactlyUp(params UniqueAddress[] members) =>
        m => m.Count == members.Length && members.All(a => m.TryGetValue(a, out var s) && s == MemberStatus.Up);
}
