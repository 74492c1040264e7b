using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Capacity;

/// <summary>
/// A pool's capacity level changed. <see cref="Now"/> is null when the pool is no longer listed.
/// <see cref="FirstReading"/>: the pool had no level yet (first listing since start, or listed again after it
/// went away); the change states its level, even ok, and <see cref="From"/> is the ok the hysteresis starts from.
/// </summary>
public sealed record CapacityChange(string Pool, CapacityLevel From, CapacityLevel To, ZpoolListEntry? Now, bool FirstReading = false)
{
    /// <summary>The level went up. A first reading is no movement, so never rising (nor a recovery).</summary>
    public bool Rising => !FirstReading && To > From;

    /// <summary>Back to ok from a higher level while still listed: the moment to re-arm a released reserve.</summary>
    public bool Recovered => !FirstReading && To == CapacityLevel.Ok && From != CapacityLevel.Ok && Now is not null;
}
