namespace DPlaneOS.Zfs.Snapshots;

/// <summary>A snapshot as <c>&lt;Dataset&gt;@&lt;Snapshot&gt;</c>.</summary>
public sealed record SnapshotTarget(string Dataset, string Snapshot)
{
    public override string ToString() => $"{Dataset}@{Snapshot}";
}
