namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// A declared pool. <paramref name="Disks"/> are whole-disk <c>/dev/disk/by-id/</c> paths;
/// <paramref name="Ashift"/> null means "let ZFS choose"; <paramref name="Properties"/> are pool
/// properties (<c>zpool create -o</c>); <paramref name="Prune"/> makes undeclared datasets in this
/// pool deletion candidates.
/// </summary>
public sealed record DesiredPool(
    string Name,
    VdevType VdevType,
    IReadOnlyList<string> Disks,
    int? Ashift,
    IReadOnlyDictionary<string, string> Properties,
    bool Prune);
