using DPlaneOS.Zfs.Capacity;

namespace DPlaneOS.Zfs.Health;

/// <summary>What <c>GET /api/zfs/capacity</c> shows.</summary>
/// <param name="ReservePercent">The emergency reserve's size, in percent of the pool's usable space.</param>
public sealed record CapacityReport(
    DateTimeOffset? LastRefresh,
    string? Error,
    CapacityThresholds Thresholds,
    double ReservePercent,
    IReadOnlyList<PoolCapacity> Pools)
{
    public static CapacityReport NotReadYet(CapacityThresholds thresholds, double reservePercent) =>
        new(null, "not read yet", thresholds, reservePercent, []);
}

/// <summary>One pool's space; sizes in bytes (exact on OpenZFS, rounded from human sizes on zfs-fuse).</summary>
/// <param name="Percent">The <c>capacity</c> column of <c>zpool list</c>.</param>
/// <param name="Level">With hysteresis: see <see cref="CapacityThresholds.Next"/>.</param>
public sealed record PoolCapacity(
    string Name,
    long? Size,
    long? Used,
    long? Free,
    int? Percent,
    string Health,
    CapacityLevel Level,
    ReserveStatus Reserve);

public enum CapacityLevel { Ok, Warning, Critical, Emergency }

/// <summary>
/// Used-percent thresholds (spec: 80 / 90 / 95). A level is entered at its threshold and left only
/// below threshold − <see cref="Hysteresis"/> percentage points.
/// </summary>
public sealed record CapacityThresholds(double Warning = 80, double Critical = 90, double Emergency = 95, double Hysteresis = 2)
{
    private IReadOnlyList<double> Ascending => [Warning, Critical, Emergency];

    /// <summary>The level after observing <paramref name="percent"/>; an unknown percent keeps the level.</summary>
    public CapacityLevel Next(CapacityLevel current, double? percent) =>
        percent is { } p ? (CapacityLevel)HysteresisLevels.Next((int)current, p, Ascending, Hysteresis) : current;

    /// <summary>Null when the thresholds are usable, else why not.</summary>
    public string? Check() => HysteresisLevels.Check(Ascending, Hysteresis);
}
