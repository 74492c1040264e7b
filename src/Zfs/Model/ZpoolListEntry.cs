namespace DPlaneOS.Zfs.Model;

/// <summary>One pool row of <c>zpool list</c>. Null where the column was not requested or printed as <c>-</c>.</summary>
/// <param name="Health">As printed (ONLINE, DEGRADED, SUSPENDED…); empty when the column was not requested.</param>
public sealed record ZpoolListEntry(
    string Name,
    long? Size,
    long? Allocated,
    long? Free,
    int? CapacityPercent,
    int? FragmentationPercent,
    string Health,
    double? DedupRatio,
    string? AltRoot);
