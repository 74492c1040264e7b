namespace DPlaneOS.Actors.Fleet.Membership;

/// <summary>What the membership watcher learns, from cluster events and from the fleet's replicated data.</summary>
public abstract record FleetMembershipInput
{
    private FleetMembershipInput()
    {
    }

    /// <summary>The nodes the fleet has already raised as unreachable (replicated), read once when this watcher starts.</summary>
    public sealed record RaisedLoaded(IReadOnlySet<string> Nodes) : FleetMembershipInput;

    /// <summary>A member is up and reachable (a member event, or the snapshot when the watcher subscribes).</summary>
    public sealed record NodeUp(string Node) : FleetMembershipInput;

    public sealed record NodeUnreachable(string Node) : FleetMembershipInput;

    public sealed record NodeReachable(string Node) : FleetMembershipInput;

    /// <summary>The member was removed: <paramref name="Left"/> when it left on purpose, else it was downed.</summary>
    public sealed record NodeRemoved(string Node, bool Left) : FleetMembershipInput;
}
