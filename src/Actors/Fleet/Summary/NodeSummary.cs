using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Fleet.Wire;
using DPlaneOS.Actors.Storage.Pools;
using HeartbeatHealth = DPlaneOS.Actors.Storage.Pools.PoolHealth;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>
/// One node at a glance, as every gateway of a fleet shows it (<c>GET /api/fleet/nodes</c>): small enough
/// to replicate to every node, taken from the node's own read models.
/// </summary>
/// <param name="Address">The node's fleet address (<c>host:port</c>); null on a single node.</param>
/// <param name="Started">When this daemon started (the newest entry of <c>/api/system/starts</c>).</param>
/// <param name="ActiveAlerts">Active warning and critical conditions of the node's alert router.</param>
/// <param name="TakenAt">When the node took this summary.</param>
[FleetMessage("fleet.node-summary.v1")]
public sealed record NodeSummary(
    string Name,
    string? Address,
    string Version,
    DateTimeOffset? Started,
    IReadOnlyList<PoolSummary> Pools,
    int ActiveAlerts,
    DateTimeOffset TakenAt) : IFleetMessage
{
    /// <summary>The summary of what the node's actors report now; pools are those ZFS health lists, in its order.</summary>
    public static NodeSummary Take(
        NodeIdentity node, string? address, NodeLifecycleActor.Protocol.NodeStarted? started, HealthReport health,
        CapacityReport capacity, PoolManager.Protocol.Heartbeats heartbeats, AlertRouter.Protocol.ActiveAlerts alerts, DateTimeOffset now)
    {
        var capacityByPool = capacity.Pools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var heartbeatByPool = heartbeats.Pools.ToDictionary(h => h.Pool, StringComparer.Ordinal);
        var pools = health.Pools.Select(pool =>
        {
            var space = capacityByPool.GetValueOrDefault(pool.Name);
            var heartbeat = heartbeatByPool.GetValueOrDefault(pool.Name);
            return new PoolSummary(
                pool.Name,
                pool.State,
                space?.Percent,
                space?.Level,
                pool.Disks.Count == 0 ? null : pool.Disks.Max(d => d.Risk.Level),
                heartbeat?.State.Health);
        }).ToList();
        return new NodeSummary(node.Name, address, started?.Version ?? "unknown", started?.At, pools, alerts.Items.Count, now);
    }
}

/// <summary>One pool of a <see cref="NodeSummary"/>.</summary>
/// <param name="State">As <c>zpool status</c> prints it (ONLINE, DEGRADED, …).</param>
/// <param name="CapacityPercent">Used percent; null until the capacity guardian has read the pool.</param>
/// <param name="WorstDiskRisk">The highest risk of its disks; null when it has none listed.</param>
/// <param name="Heartbeat">The heartbeat's health; null when the pool is not probed.</param>
public sealed record PoolSummary(
    string Name,
    string State,
    int? CapacityPercent,
    CapacityLevel? CapacityLevel,
    RiskLevel? WorstDiskRisk,
    HeartbeatHealth? Heartbeat);
