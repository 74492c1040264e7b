using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>
/// Takes this node's <see cref="NodeSummary"/> by asking its actors (outside any actor, so the asks block
/// nothing): for the fleet routes on a single node, and for the fleet plane to replicate.
/// </summary>
public sealed class LocalNodeSummary(
    IRequiredActor<ZfsHealthActor> health,
    IRequiredActor<CapacityGuardian> capacity,
    IRequiredActor<PoolManager> pools,
    IRequiredActor<AlertsSupervisor> alerts,
    IRequiredActor<NodeLifecycleActor> lifecycle,
    NodeIdentity node,
    TimeProvider time) : INodeSummarySource
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public NodeIdentity Node => node;

    public async Task<NodeSummary> TakeAsync(string? address, CancellationToken cancellationToken) =>
        (await TakeWithHealthAsync(address, cancellationToken).ConfigureAwait(false)).Summary;

    /// <summary>The summary and the full health report it was taken from, for <c>GET /api/fleet/nodes/{name}</c>: one read of each actor.</summary>
    public async Task<(NodeSummary Summary, HealthReport Health)> TakeWithHealthAsync(string? address, CancellationToken cancellationToken)
    {
        var view = AskAsync<ZfsHealthView>(health.GetAsync, ZfsHealthActor.Protocol.GetView.Instance, cancellationToken);
        var space = AskAsync<CapacityReport>(capacity.GetAsync, CapacityGuardian.Protocol.GetReport.Instance, cancellationToken);
        var heartbeats = AskAsync<PoolManager.Protocol.Heartbeats>(pools.GetAsync, PoolManager.Protocol.GetHeartbeats.Instance, cancellationToken);
        var active = AskAsync<AlertRouter.Protocol.ActiveAlerts>(alerts.GetAsync, AlertRouter.Protocol.GetActiveAlerts.Instance, cancellationToken);
        var starts = AskAsync<NodeLifecycleActor.Protocol.Starts>(lifecycle.GetAsync, NodeLifecycleActor.Protocol.GetStarts.Instance, cancellationToken);
        await Task.WhenAll(view, space, heartbeats, active, starts).ConfigureAwait(false);
        var newest = (await starts.ConfigureAwait(false)).Items.MaxBy(s => s.At);
        var report = (await view.ConfigureAwait(false)).Health;
        var summary = NodeSummary.Take(node, address, newest, report, await space.ConfigureAwait(false),
            await heartbeats.ConfigureAwait(false), await active.ConfigureAwait(false), time.GetUtcNow());
        return (summary, report);
    }

    private static async Task<T> AskAsync<T>(Func<CancellationToken, Task<IActorRef>> actor, object question, CancellationToken cancellationToken) =>
        await (await actor(cancellationToken).ConfigureAwait(false)).Ask<T>(question, AskTimeout, cancellationToken).ConfigureAwait(false);
}
