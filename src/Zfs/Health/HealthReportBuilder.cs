using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Health;

/// <summary>Builds the health report from a status read, device resolutions and cached SMART reads.</summary>
public static class HealthReportBuilder
{
    public static HealthReport Build(
        DateTimeOffset readAt,
        IReadOnlyList<PoolStatus> pools,
        IReadOnlyDictionary<string, DeviceResolution> devices,
        IReadOnlyDictionary<string, SmartObservation> smart,
        DateTimeOffset? lastSmartRefresh) =>
        new(readAt, lastSmartRefresh, null, pools.Select(pool => BuildPool(pool, devices, smart)).ToList());

    private static PoolHealth BuildPool(
        PoolStatus pool,
        IReadOnlyDictionary<string, DeviceResolution> devices,
        IReadOnlyDictionary<string, SmartObservation> smart)
    {
        var disks = pool.AllLeaves().Select(leaf => BuildDisk(leaf, devices, smart)).ToList();
        return new PoolHealth(
            pool.Name, pool.State, pool.Status, pool.Action, pool.See, pool.Scan, pool.Errors, pool.DataErrorCount,
            OverallRisk(pool, disks), pool.Root, pool.Logs, pool.Caches, pool.Spares, pool.Special, pool.Dedup, disks);
    }

    private static DiskHealth BuildDisk(
        Vdev leaf,
        IReadOnlyDictionary<string, DeviceResolution> devices,
        IReadOnlyDictionary<string, SmartObservation> smart)
    {
        var device = devices.GetValueOrDefault(leaf.Name);
        var observation = device?.DevicePath is { } path ? smart.GetValueOrDefault(path) : null;
        var report = observation?.Report;
        var summary = report is not null
            ? new SmartSummary(true, null, report.Passed, report.Model, report.Serial, report.TemperatureCelsius, report.PowerOnHours, observation!.ReadAt)
            : new SmartSummary(false, observation?.Error ?? device?.Reason ?? "not read yet", null, null, null, null, null, observation?.ReadAt);
        var counters = new VdevErrorCounts(leaf.ReadErrors, leaf.WriteErrors, leaf.ChecksumErrors, leaf.State);
        return new DiskHealth(
            leaf.Name, leaf.Class, leaf.State, leaf.ReadErrors, leaf.WriteErrors, leaf.ChecksumErrors, leaf.Note,
            device?.DevicePath, summary, DiskRiskScorer.Score(report, counters));
    }

    /// <summary>
    /// A pool that cannot serve I/O (FAULTED, UNAVAIL, SUSPENDED) is critical whatever its disks say;
    /// a DEGRADED pool has lost redundancy and is at least high; otherwise the worst disk decides.
    /// </summary>
    public static RiskLevel OverallRisk(PoolStatus pool, IReadOnlyList<DiskHealth> disks)
    {
        var worstDisk = disks.Count == 0 ? RiskLevel.Low : disks.Max(d => d.Risk.Level);
        return pool.State switch
        {
            "FAULTED" or "UNAVAIL" or "SUSPENDED" => RiskLevel.Critical,
            "DEGRADED" => worstDisk > RiskLevel.High ? worstDisk : RiskLevel.High,
            _ => worstDisk,
        };
    }
}
