namespace DPlaneOS.Zfs.Host;

/// <summary>Which ZFS command-line dialect this host speaks.</summary>
public enum ZfsDialect
{
    /// <summary>OpenZFS 2.x, the production target: <c>-p</c> exact numbers, <c>-H</c>, <c>zpool events</c>.</summary>
    OpenZfs,

    /// <summary>zfs-fuse (the lab): no <c>-p</c> on list/status/iostat, no <c>zpool events</c>.</summary>
    ZfsFuse,
}
