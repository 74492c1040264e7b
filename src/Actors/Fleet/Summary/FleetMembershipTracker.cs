using System.Collections.Immutable;
using Akka.Cluster;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>
/// The membership of the fleet as this node sees it, by node name (the member's <c>node:NAME</c> role): up,
/// unreachable, and for a node that is no longer a member whether it left on purpose (exiting) or was downed.
/// Per incarnation: a new fleet system starts with no memory of removed nodes, so they read as down.
/// </summary>
public sealed class FleetMembershipTracker : ReceiveActor
{
    private readonly Dictionary<string, FleetNodeStatus> _gone = new(StringComparer.Ordinal);

    public FleetMembershipTracker()
    {
        var cluster = Cluster.Get(Context.System);
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (NameOf(removed.Member) is { } name)
                _gone[name] = removed.PreviousStatus == MemberStatus.Exiting ? FleetNodeStatus.Left : FleetNodeStatus.Down;
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<Protocol.GetMembers>(_ =>
        {
            var state = cluster.State;
            var members = new Dictionary<string, FleetMember>(StringComparer.Ordinal);
            foreach (var (name, status) in _gone) members[name] = new FleetMember(status, null);
            foreach (var member in state.Members)
            {
                if (NameOf(member) is not { } name) continue;
                var status = member.Status switch
                {
                    MemberStatus.Leaving or MemberStatus.Exiting => FleetNodeStatus.Left,
                    MemberStatus.Down => FleetNodeStatus.Down,
                    _ when state.Unreachable.Contains(member) => FleetNodeStatus.Unreachable,
                    _ => FleetNodeStatus.Up,
                };
                // A new incarnation of a node may stand beside its old, unreachable one: the up one wins.
                if (members.TryGetValue(name, out var seen) && seen.Address is not null && seen.Status == FleetNodeStatus.Up) continue;
                members[name] = new FleetMember(status, member.Address);
            }
            Sender.Tell(new Protocol.Members(members.ToImmutableDictionary(StringComparer.Ordinal)));
        });
    }

    /// <summary>The node name of a member: its <c>node:NAME</c> role; null for a member without one.</summary>
    public static string? NameOf(Member member) =>
        member.Roles.FirstOrDefault(r => r.StartsWith("node:", StringComparison.Ordinal)) is { } role ? role["node:".Length..] : null;

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    public static class Protocol
    {
        public sealed record GetMembers
        {
            public static readonly GetMembers Instance = new();
        }

        public sealed record Members(ImmutableDictionary<string, FleetMember> ByName);
    }
}

/// <param name="Address">The member's fleet address; null when it is no longer a member.</param>
public sealed record FleetMember(FleetNodeStatus Status, Address? Address);
