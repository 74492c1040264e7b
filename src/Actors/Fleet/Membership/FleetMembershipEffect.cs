namespace DPlaneOS.Actors.Fleet.Membership;

/// <summary>What the watcher does: publish the event on its node's bus and record it in the replicated set first.</summary>
public abstract record FleetMembershipEffect
{
    private FleetMembershipEffect()
    {
    }

    /// <summary>Add the node to the replicated raised set, then publish <see cref="FleetEvents.NodeUnreachable"/>.</summary>
    public sealed record Raise(string Node) : FleetMembershipEffect;

    /// <summary>Remove the node from the replicated raised set, then publish <see cref="FleetEvents.NodeReachable"/>.</summary>
    public sealed record Resolve(string Node) : FleetMembershipEffect;
}
