using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Storage.Capacity;

/// <summary>The MonitorEvent types the capacity guardian publishes, and their data keys.</summary>
public static class CapacityEvents
{
    /// <summary>Resolved: the pool is below every threshold (also its first level since start, which ends what was reported before).</summary>
    public const string Ok = "capacity.ok";

    /// <summary>Warning: the pool reached the warning threshold.</summary>
    public const string Warning = "capacity.warning";

    /// <summary>Critical: the pool reached the critical threshold.</summary>
    public const string Critical = "capacity.critical";

    /// <summary>Critical: the pool reached the emergency threshold; its emergency reserve is released.</summary>
    public const string Emergency = "capacity.emergency";

    /// <summary>Info: the emergency reserve was created or re-armed (on request or after a recovery to ok).</summary>
    public const string ReserveArmed = "capacity.reserve-armed";

    /// <summary>Warning: the emergency reserve was released (on request or at emergency), its space given back to the pool.</summary>
    public const string ReserveReleased = "capacity.reserve-released";

    /// <summary>Critical: releasing the reserve at emergency failed; it is tried again at the next reading.</summary>
    public const string ReserveReleaseFailed = "capacity.reserve-release-failed";

    public const string PoolKey = "pool";

    /// <summary>Level events: the new level (ok, warning, critical, emergency).</summary>
    public const string LevelKey = "level";

    /// <summary>Level events: the level before, or <see cref="UnknownLevel"/> at a pool's first reading.</summary>
    public const string PreviousLevelKey = "previousLevel";

    public const string UnknownLevel = "unknown";

    /// <summary>Level events: why there are no numbers, or why the level is stated without a change.</summary>
    public const string ReasonKey = "reason";

    /// <summary>The used percent from <c>zpool list</c>.</summary>
    public const string PercentKey = "percent";

    public const string SizeKey = "size";
    public const string UsedKey = "used";
    public const string FreeKey = "free";

    /// <summary>Level events above ok: the threshold of the new level.</summary>
    public const string ThresholdKey = "threshold";

    public const string DatasetKey = "dataset";

    /// <summary>Reserve events: "true" when the guardian acted on its own, "false" on request.</summary>
    public const string AutomaticKey = "automatic";

    public const string MessageKey = "message";

    /// <summary><see cref="ReserveReleased"/>: the bytes given back.</summary>
    public const string BytesFreedKey = "bytesFreed";

    /// <summary><see cref="ReserveArmed"/>, <see cref="ReserveReleaseFailed"/>: the bytes held, when known.</summary>
    public const string BytesKey = "bytes";

    /// <summary>The event type of a level.</summary>
    public static string Of(CapacityLevel level) => level switch
    {
        CapacityLevel.Warning => Warning,
        CapacityLevel.Critical => Critical,
        CapacityLevel.Emergency => Emergency,
        _ => Ok,
    };
}
