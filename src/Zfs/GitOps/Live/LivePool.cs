using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>
/// A pool as the host reports it. <paramref name="Disks"/> are normalised by-id paths
/// (see <see cref="DiskIdNormalizer"/>); <paramref name="VdevType"/> and <paramref name="Ashift"/>
/// are null when the adapter could not tell (mixed layouts, old zfs-fuse).
/// </summary>
public sealed record LivePool(
    string Name,
    VdevType? VdevType,
    IReadOnlyList<string> Disks,
    int? Ashift,
    IReadOnlyDictionary<string, string> Properties);
