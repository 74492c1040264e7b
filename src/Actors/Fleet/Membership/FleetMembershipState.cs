using System.Collections.Immutable;

namespace DPlaneOS.Actors.Fleet.Membership;

public sealed record FleetMembershipDecision(FleetMembershipState State, IReadOnlyList<FleetMembershipEffect> Effects);

/// <summary>
/// The membership watcher's decisions (it runs as a cluster singleton). A silent node is raised once: the raised
/// set is replicated, so a watcher that takes over after a hand-over reads it (<see cref="FleetMembershipInput.RaisedLoaded"/>)
/// and neither repeats a raise nor misses a resolution. Until it has read it, the watcher only tracks membership.
/// A raised node is resolved only when it is seen back (up, reachable) or left on purpose: a watcher that has not
/// heard of it yet (a downed node is no longer a member) keeps it raised.
/// </summary>
public sealed record FleetMembershipState(
    ImmutableHashSet<string> Up, ImmutableHashSet<string> Unreachable, ImmutableHashSet<string> Left, ImmutableHashSet<string> Raised, bool Loaded)
{
    private static readonly ImmutableHashSet<string> None = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    public static readonly FleetMembershipState Empty = new(None, None, None, None, false);

    public FleetMembershipDecision Decide(FleetMembershipInput input)
    {
        var next = input switch
        {
            FleetMembershipInput.RaisedLoaded loaded => this with { Raised = Raised.Union(loaded.Nodes), Loaded = true },
            FleetMembershipInput.NodeUp up => Seen(up.Node),
            FleetMembershipInput.NodeReachable back => Seen(back.Node),
            FleetMembershipInput.NodeUnreachable silent => this with { Up = Up.Remove(silent.Node), Unreachable = Unreachable.Add(silent.Node) },
            FleetMembershipInput.NodeRemoved { Left: true } left =>
                this with { Up = Up.Remove(left.Node), Unreachable = Unreachable.Remove(left.Node), Left = Left.Add(left.Node) },
            // Downed: still silent, so it stays unreachable (and raised) until it rejoins.
            FleetMembershipInput.NodeRemoved downed => this with { Up = Up.Remove(downed.Node), Unreachable = Unreachable.Add(downed.Node) },
            _ => this,
        };
        return next.Loaded ? next.Settle() : new FleetMembershipDecision(next, []);
    }

    private FleetMembershipState Seen(string node) =>
        this with { Up = Up.Add(node), Unreachable = Unreachable.Remove(node), Left = Left.Remove(node) };

    /// <summary>Raises every silent node not yet raised and resolves every raised node seen back or gone on purpose.</summary>
    private FleetMembershipDecision Settle()
    {
        var raise = Unreachable.Except(Raised).Order(StringComparer.Ordinal).ToList();
        var resolve = Raised.Intersect(Up.Union(Left)).Order(StringComparer.Ordinal).ToList();
        var effects = raise.Select(FleetMembershipEffect (n) => new FleetMembershipEffect.Raise(n))
            .Concat(resolve.Select(FleetMembershipEffect (n) => new FleetMembershipEffect.Resolve(n)))
            .ToList();
        return new FleetMembershipDecision(this with { Raised = Raised.Union(raise).Except(resolve) }, effects);
    }
}
