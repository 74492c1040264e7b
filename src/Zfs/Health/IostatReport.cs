using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Health;

/// <summary>What <c>GET /api/zfs/iostat</c> shows: one sample per pool and vdev, averaged since import.</summary>
public sealed record IostatReport(DateTimeOffset? LastRefresh, string? Error, IReadOnlyList<IostatEntry> Devices);
