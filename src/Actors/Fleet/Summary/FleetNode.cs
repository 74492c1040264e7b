namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>One node as the fleet routes list it: its membership status, when it was last heard of, its last summary.</summary>
/// <param name="LastSeen">When this node last had news of it (the summary's time, or the last membership sign of life).</param>
public sealed record FleetNode(string Name, FleetNodeStatus Status, DateTimeOffset LastSeen, NodeSummary Summary);

/// <summary>A node's cluster membership as seen from here.</summary>
public enum FleetNodeStatus
{
    /// <summary>A member, reachable.</summary>
    Up,

    /// <summary>A member this node cannot reach now (failure detector).</summary>
    Unreachable,

    /// <summary>Downed by the split-brain resolver; it rejoins with a new fleet plane.</summary>
    Down,

    /// <summary>Left the cluster on purpose (a clean shutdown).</summary>
    Left,
}
