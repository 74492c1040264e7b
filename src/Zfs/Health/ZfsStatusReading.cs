using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Health;

/// <summary>One round of read-only zpool queries, taken together so the views agree with each other.</summary>
public sealed record ZfsStatusReading(
    DateTimeOffset At,
    HostResult<IReadOnlyList<PoolStatus>> Status,
    HostResult<IReadOnlyList<ZpoolListEntry>> List,
    HostResult<IReadOnlyList<IostatEntry>> Iostat,
    HostResult<IReadOnlyList<ZpoolEvent>> Events,
    IReadOnlyDictionary<string, DeviceResolution> Devices);
