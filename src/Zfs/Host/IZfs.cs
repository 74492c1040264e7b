using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Host;

/// <summary>
/// The <c>zfs</c> command: read-only queries and the few changes the daemon makes itself. Names are
/// validated with <see cref="NameRules"/> before they reach a command line.
/// </summary>
public interface IZfs
{
    /// <summary>
    /// <c>zfs get -Hp -o name,property,value,source &lt;properties&gt; [-r root]</c>: one call for every
    /// dataset, exact bytes, on OpenZFS and zfs-fuse alike.
    /// </summary>
    Task<HostResult<IReadOnlyList<ZfsDatasetProperties>>> GetAsync(IReadOnlyList<string> properties, string? recursiveRoot = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>zfs snapshot [-r] &lt;dataset&gt;@&lt;snapshot&gt;</c>. Null on success, else why it failed.
    /// Both names are validated first (<see cref="NameRules.RequireSnapshot"/>).
    /// </summary>
    Task<CommandError?> SnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>zfs destroy [-r] &lt;dataset&gt;@&lt;snapshot&gt;</c>: only ever a snapshot (the '@' is always
    /// there), never a filesystem. Null on success, else why it failed.
    /// </summary>
    Task<CommandError?> DestroySnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default);
    /// <c>zfs get -Hp -o name,property,value,source &lt;properties&gt; &lt;dataset&gt;</c> for one dataset;
    /// null (not an error) when the dataset does not exist.
    /// </summary>
    Task<HostResult<ZfsDatasetProperties?>> GetDatasetAsync(string dataset, IReadOnlyList<string> properties, CancellationToken cancellationToken = default);

    /// <summary><c>zfs create [-o property=value]… &lt;dataset&gt;</c>. Null on success.</summary>
    Task<CommandError?> CreateAsync(string dataset, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default);

    /// <summary><c>zfs set property=value &lt;dataset&gt;</c>. Null on success.</summary>
    Task<CommandError?> SetAsync(string dataset, string property, string value, CancellationToken cancellationToken = default);
}
