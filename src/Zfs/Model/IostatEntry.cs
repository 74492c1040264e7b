namespace DPlaneOS.Zfs.Model;

/// <summary>One row of <c>zpool iostat -v</c>. Depth 0 is the pool row; null where <c>-</c> was printed.</summary>
public sealed record IostatEntry(
    string Name,
    int Depth,
    VdevClass Class,
    long? Allocated,
    long? Free,
    long? ReadOps,
    long? WriteOps,
    long? ReadBytesPerSec,
    long? WriteBytesPerSec);
