namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>The fleet of one: no fleet plane configured, the routes list this node, always up.</summary>
public sealed class SingleNodeFleetView(LocalNodeSummary local) : IFleetView
{
    public async Task<IReadOnlyList<FleetNode>> NodesAsync(CancellationToken cancellationToken) =>
        [await SelfAsync(cancellationToken).ConfigureAwait(false)];

    public async Task<FleetNodeHealth?> NodeAsync(string name, CancellationToken cancellationToken)
    {
        if (!string.Equals(name, local.Node.Name, StringComparison.Ordinal)) return null;
        var (summary, health) = await local.TakeWithHealthAsync(null, cancellationToken).ConfigureAwait(false);
        return new FleetNodeHealth(Self(summary), health, null);
    }

    private async Task<FleetNode> SelfAsync(CancellationToken cancellationToken) =>
        Self(await local.TakeAsync(null, cancellationToken).ConfigureAwait(false));

    private static FleetNode Self(NodeSummary summary) => new(summary.Name, FleetNodeStatus.Up, summary.TakenAt, summary);
}
