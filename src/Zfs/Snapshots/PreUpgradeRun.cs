namespace DPlaneOS.Zfs.Snapshots;

/// <summary>What one pre-upgrade run did.</summary>
/// <param name="Error">Why nothing could be done at all (e.g. zpool did not answer), else null.</param>
public sealed record PreUpgradeRun(string SnapshotName, IReadOnlyList<PreUpgradePoolOutcome> Pools, string? Error)
{
    /// <summary>Every chosen pool has its new snapshot.</summary>
    public bool AllTaken => Error is null && Pools.All(p => p.Taken);

    public bool RetentionFailed => Pools.Any(p => p.RetentionErrors.Count > 0);
}
