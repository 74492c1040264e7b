namespace DPlaneOS.Actors.Fleet.Membership;

/// <summary>The MonitorEvent types of the fleet's membership watcher (subject: the node's name), and their data keys.</summary>
public static class FleetEvents
{
    /// <summary>Critical: a node of the fleet stopped answering (dead, or cut off). Raised once per silence.</summary>
    public const string NodeUnreachable = "fleet.node-unreachable";

    /// <summary>Resolved: the node answers again (or rejoined, or left on purpose). Ends <see cref="NodeUnreachable"/>.</summary>
    public const string NodeReachable = "fleet.node-reachable";

    /// <summary>The node that noticed (where the watcher runs).</summary>
    public const string ObserverKey = "observer";
}
