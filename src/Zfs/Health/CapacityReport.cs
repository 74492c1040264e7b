namespace DPlaneOS.Zfs.Health;

/// <summary>What <c>GET /api/zfs/capacity</c> shows.</summary>
public sealed record CapacityReport(DateTimeOffset? LastRefresh, string? Error, CapacityThresholds Thresholds, IReadOnlyList<PoolCapacity> Pools);

/// <summary>One pool's space; sizes in bytes (exact on OpenZFS, rounded from human sizes on zfs-fuse).</summary>
public sealed record PoolCapacity(string Name, long? Size, long? Used, long? Free, int? Percent, string Health, CapacityLevel Level);

public enum CapacityLevel { Ok, Warning, Critical, Emergency }

/// <summary>Used-percent thresholds (spec: 80 / 90 / 95).</summary>
public sealed record CapacityThresholds(int Warning = 80, int Critical = 90, int Emergency = 95)
{
    public CapacityLevel Classify(int? percent) => percent switch
    {
        null => CapacityLevel.Ok,
        var p when p >= Emergency => CapacityLevel.Emergency,
        var p when p >= Critical => CapacityLevel.Critical,
        var p when p >= Warning => CapacityLevel.Warning,
        _ => CapacityLevel.Ok,
    };
}
