using Akka.DistributedData;
using DPlaneOS.Actors.Fleet.Health;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>
/// The fleet's view from this node: every node's summary from the local replica (<see cref="FleetSummaries.Key"/>,
/// read locally, so an unreachable node never makes it wait) with its status from this node's membership
/// (<see cref="FleetMembershipTracker"/>); lastSeen is the summary's time. A node's full health report is asked of
/// that node's <see cref="FleetHealthResponder"/> with <see cref="HealthTimeout"/>. Between two incarnations it
/// lists this node alone.
/// </summary>
public sealed class ReplicatedFleetView(FleetActors actors, INodeSummarySource local) : IFleetView
{
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan LocalTimeout = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<FleetNode>> NodesAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).Nodes;

    public async Task<FleetNodeHealth?> NodeAsync(string name, CancellationToken cancellationToken)
    {
        var (nodes, members, incarnation) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal)) is not { } node) return null;
        if (incarnation is null)
        {
            var (summary, health) = await local.TakeWithHealthAsync(null, cancellationToken).ConfigureAwait(false);
            return new FleetNodeHealth(node with { Summary = summary, LastSeen = summary.TakenAt }, health, null);
        }
        if (!members.TryGetValue(name, out var member) || member.Address is null || member.Status != FleetNodeStatus.Up)
            return new FleetNodeHealth(node, null, $"node '{name}' is {node.Status.ToString().ToLowerInvariant()} in the fleet");
        try
        {
            var selection = incarnation.System.ActorSelection(new RootActorPath(member.Address) / "user" / FleetHealthResponder.Name);
            var answer = await selection.Ask<FleetHealthResponse>(FleetHealthRequest.Instance, HealthTimeout, cancellationToken).ConfigureAwait(false);
            return new FleetNodeHealth(node with { Summary = answer.Summary, LastSeen = answer.Summary.TakenAt }, answer.Health, null);
        }
        catch (AskTimeoutException)
        {
            return new FleetNodeHealth(node, null, $"node '{name}' did not answer within {HealthTimeout.TotalSeconds:0} s");
        }
    }

    private async Task<(IReadOnlyList<FleetNode> Nodes, IReadOnlyDictionary<string, FleetMember> Members, FleetIncarnation? Incarnation)> ReadAsync(
        CancellationToken cancellationToken)
    {
        if (actors.Current is not { } incarnation)
        {
            var summary = await local.TakeAsync(null, cancellationToken).ConfigureAwait(false);
            return ([new FleetNode(summary.Name, FleetNodeStatus.Up, summary.TakenAt, summary)], new Dictionary<string, FleetMember>(), null);
        }
        var data = incarnation.Replicator.Ask<IGetResponse>(Dsl.Get(FleetSummaries.Key, ReadLocal.Instance), LocalTimeout, cancellationToken);
        var members = incarnation.Members.Ask<FleetMembershipTracker.Protocol.Members>(
            FleetMembershipTracker.Protocol.GetMembers.Instance, LocalTimeout, cancellationToken);
        var summaries = await data.ConfigureAwait(false) is GetSuccess success ? success.Get(FleetSummaries.Key) : LWWDictionary<string, NodeSummary>.Empty;
        var byName = (await members.ConfigureAwait(false)).ByName;
        var nodes = summaries.Entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new FleetNode(e.Key, byName.TryGetValue(e.Key, out var m) ? m.Status : FleetNodeStatus.Down, e.Value.TakenAt, e.Value))
            .ToList();
        return (nodes, byName, incarnation);
    }
}
