using DPlaneOS.Zfs.Host;
using Microsoft.Extensions.DependencyInjection;

namespace DPlaneOS.Actors.Support.Sections;

/// <summary>
/// <c>zfs/</c>: the raw text of zpool status/list/get/iostat/events and zfs get/list, in the
/// dialect the host speaks (zfs-fuse has no <c>list -v</c>, no <c>events</c>, no <c>get -t</c>).
/// Read-only: <c>zpool events</c> never gets <c>-c</c>.
/// </summary>
public sealed class ZfsBundleSection(
    IZpool zpool, [FromKeyedServices(SupportBundleServices.RunnerKey)] ICommandRunner runner, HostTools tools, DPlaneOSOptions options) : IBundleSection
{
    public string Name => "zfs";

    public async IAsyncEnumerable<BundleEntry> EntriesAsync(
        BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var timeout = options.SupportBundle.CommandTimeout;
        var dialect = await zpool.DialectAsync(cancellationToken).ConfigureAwait(false);
        // Unknown dialect (zpool missing or hung): the OpenZFS forms, whose errors then say why.
        var fuse = dialect.IsOk && dialect.Value == ZfsDialect.ZfsFuse;

        BundleEntry Zpool(string path, params string[] args) => BundleEntries.Command(runner, path, [tools.Zpool, .. args], timeout);
        BundleEntry Zfs(string path, params string[] args) => BundleEntries.Command(runner, path, [tools.Zfs, .. args], timeout);

        yield return Zpool("zfs/zpool-status.txt", "status", "-v");
        yield return fuse ? Zpool("zfs/zpool-list.txt", "list") : Zpool("zfs/zpool-list.txt", "list", "-v");
        var pools = await zpool.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!pools.IsOk)
            yield return BundleEntries.Skip("zfs/zpool-get.txt", $"cannot list the pools: {pools.Error}");
        else if (pools.Value.Count == 0)
            yield return BundleEntries.Skip("zfs/zpool-get.txt", "no pools imported");
        else
            yield return Zpool("zfs/zpool-get.txt", ["get", "all", .. pools.Value.Select(p => p.Name)]);
        yield return Zpool("zfs/zpool-iostat.txt", "iostat", "-v");
        yield return fuse
            ? BundleEntries.Skip("zfs/zpool-events.txt", "zpool events is not supported by this ZFS (zfs-fuse)")
            : Zpool("zfs/zpool-events.txt", "events", "-H", "-v");
        yield return fuse
            ? Zfs("zfs/zfs-get.txt", "get", "-Hp", "-o", "name,property,value,source", "all")
            : Zfs("zfs/zfs-get.txt", "get", "-Hp", "-t", "filesystem,volume", "-o", "name,property,value,source", "all");
        yield return fuse
            ? Zfs("zfs/snapshots.txt", "list", "-H", "-t", "snapshot", "-o", "name,creation,used")
            : Zfs("zfs/snapshots.txt", "list", "-Hp", "-t", "snapshot", "-o", "name,creation,used");
    }
}
