namespace DPlaneOS.Zfs.Smart;

/// <summary>A disk's risk: the clamped 0-100 score, its band, and one reason per contribution.</summary>
public sealed record DiskRisk(int Score, RiskLevel Level, IReadOnlyList<string> Reasons);

/// <summary>
/// One leaf vdev's line from <c>zpool status -p</c>: the READ/WRITE/CKSUM counters and its state
/// (ONLINE, DEGRADED, FAULTED, UNAVAIL, REMOVED, OFFLINE…).
/// </summary>
public sealed record VdevErrorCounts(long Read, long Write, long Checksum, string State);
