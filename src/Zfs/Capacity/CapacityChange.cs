using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Capacity;

/// <summary>A pool's capacity level changed. <see cref="Now"/> is null when the pool is no longer listed.</summary>
public sealed record CapacityChange(string Pool, CapacityLevel From, CapacityLevel To, ZpoolListEntry? Now)
{
    public bool Rising => To > From;
}
