using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Host;

/// <summary>The <c>zfs</c> command, read-only queries.</summary>
public interface IZfs
{
    /// <summary>
    /// <c>zfs get -Hp -o name,property,value,source &lt;properties&gt; [-r root]</c>: one call for every
    /// dataset, exact bytes, on OpenZFS and zfs-fuse alike.
    /// </summary>
    Task<HostResult<IReadOnlyList<ZfsDatasetProperties>>> GetAsync(IReadOnlyList<string> properties, string? recursiveRoot = null, CancellationToken cancellationToken = default);
}
