using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>Where this node's summary comes from (<see cref="LocalNodeSummary"/>; a fake in tests).</summary>
public interface INodeSummarySource
{
    NodeIdentity Node { get; }

    Task<NodeSummary> TakeAsync(string? address, CancellationToken cancellationToken);

    Task<(NodeSummary Summary, HealthReport Health)> TakeWithHealthAsync(string? address, CancellationToken cancellationToken);
}
