namespace DPlaneOS.Zfs.Model;

/// <summary>One <c>scan:</c> (or zfs-fuse <c>scrub:</c>) entry of <c>zpool status</c>.</summary>
/// <param name="PercentDone">The printed <c>NN.NN% done</c>, when printed (in progress or paused).</param>
/// <param name="Text">The whole entry, continuation lines joined by "\n", each trimmed.</param>
public sealed record ScanInfo(ScanKind Kind, ScanState State, double? PercentDone, string Text)
{
    /// <summary>No scan line at all (e.g. a suspended pool).</summary>
    public static ScanInfo Absent { get; } = new(ScanKind.None, ScanState.None, null, "");
}
