using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Health;

/// <summary>
/// What <c>GET /api/zfs/events</c> shows: the newest ZFS events, read without clearing the log.
/// <see cref="Supported"/> is false on a ZFS without an event log (zfs-fuse).
/// </summary>
public sealed record EventsReport(DateTimeOffset? LastRefresh, bool Supported, string? Error, IReadOnlyList<ZpoolEvent> Events);
