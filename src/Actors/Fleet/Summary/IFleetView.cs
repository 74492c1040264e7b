using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>
/// What the fleet routes read: on a single node only itself; in a fleet, the local replica of every node's
/// summary with its membership status, so an answer never waits for an unreachable node.
/// </summary>
public interface IFleetView
{
    Task<IReadOnlyList<FleetNode>> NodesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A node's full health report, fetched from it; an error naming the node (and null report) when it
    /// cannot answer. Null when no such node is known.
    /// </summary>
    Task<FleetNodeHealth?> NodeAsync(string name, CancellationToken cancellationToken);
}

/// <param name="Health">Null when the node could not answer; then <paramref name="Error"/> says why.</param>
public sealed record FleetNodeHealth(FleetNode Node, HealthReport? Health, string? Error);
