using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Health;

/// <summary>What <c>GET /api/zfs/health</c> shows: every pool, its vdev tree and the risk of each disk.</summary>
public sealed record HealthReport(
    DateTimeOffset? LastRefresh,
    DateTimeOffset? LastSmartRefresh,
    string? Error,
    IReadOnlyList<PoolHealth> Pools)
{
    public static readonly HealthReport Empty = new(null, null, "not read yet", []);
}

/// <summary>One pool: the parsed status, the whole vdev tree, and a per-disk assessment.</summary>
public sealed record PoolHealth(
    string Name,
    string State,
    string? Status,
    string? Action,
    string? See,
    ScanInfo Scan,
    string? Errors,
    long? DataErrorCount,
    RiskLevel OverallRisk,
    Vdev Vdevs,
    IReadOnlyList<Vdev> Logs,
    IReadOnlyList<Vdev> Caches,
    IReadOnlyList<Vdev> Spares,
    IReadOnlyList<Vdev> Special,
    IReadOnlyList<Vdev> Dedup,
    IReadOnlyList<DiskHealth> Disks);

/// <summary>One leaf vdev with its ZFS counters, SMART summary and risk.</summary>
public sealed record DiskHealth(
    string Name,
    VdevClass Class,
    string State,
    long ReadErrors,
    long WriteErrors,
    long ChecksumErrors,
    string? Note,
    string? Device,
    SmartSummary Smart,
    DiskRisk Risk);

/// <summary>The part of a SMART report an admin looks at first; the full report stays in the support bundle.</summary>
public sealed record SmartSummary(
    bool Available,
    string? Reason,
    bool? Passed,
    string? Model,
    string? Serial,
    int? TemperatureCelsius,
    long? PowerOnHours,
    DateTimeOffset? ReadAt);
