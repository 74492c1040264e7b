using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Host;

/// <summary>The <c>zpool</c> command, read-only queries, in whichever dialect the host speaks.</summary>
public interface IZpool
{
    Task<HostResult<ZfsDialect>> DialectAsync(CancellationToken cancellationToken = default);

    Task<HostResult<IReadOnlyList<PoolStatus>>> StatusAsync(CancellationToken cancellationToken = default);

    Task<HostResult<IReadOnlyList<ZpoolListEntry>>> ListAsync(CancellationToken cancellationToken = default);

    Task<HostResult<IReadOnlyList<IostatEntry>>> IostatAsync(CancellationToken cancellationToken = default);

    /// <summary>The kernel's ZFS event log, read without clearing it. NotSupported on zfs-fuse.</summary>
    Task<HostResult<IReadOnlyList<ZpoolEvent>>> EventsAsync(CancellationToken cancellationToken = default);
}
