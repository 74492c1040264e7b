namespace DPlaneOS.Zfs.Snapshots;

/// <summary>One pool's part of a run.</summary>
/// <param name="Datasets">How many datasets carry the new snapshot (the recursion's reach).</param>
/// <param name="Removed">Old pre-upgrade snapshots destroyed (each recursively).</param>
public sealed record PreUpgradePoolOutcome(
    string Pool, bool Taken, int Datasets, IReadOnlyList<SnapshotTarget> Removed, string? SnapshotError, IReadOnlyList<string> RetentionErrors);
