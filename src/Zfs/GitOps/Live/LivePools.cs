using System.Globalization;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>
/// Turns <c>zpool status</c> trees and <c>zpool get</c> rows into <see cref="LivePool"/>s: the data
/// vdev layout, the data disks as comparable by-id paths, ashift and the settable properties.
/// </summary>
public static class LivePools
{
    private const string ZfsFuseByIdPrefix = "disk/by-id/";

    public static IReadOnlyList<LivePool> From(IReadOnlyList<PoolStatus> pools, IReadOnlyList<ZfsPropertyRow> properties)
    {
        var byPool = properties.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return pools.Select(p => From(p, byPool.TryGetValue(p.Name, out var rows) ? rows : [])).ToList();
    }

    public static LivePool From(PoolStatus pool, IReadOnlyList<ZfsPropertyRow> properties)
    {
        var disks = pool.Root.Leaves()
            .Where(l => l.Kind is VdevKind.Disk or VdevKind.File)
            .Select(l => DiskPath(l.Name))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        int? ashift = null;
        var settable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in properties)
        {
            if (row.Property == "ashift")
            {
                // 0 means "chosen per vdev at creation" (the real value is only in zdb): unknown, not 0.
                if (int.TryParse(row.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var a) && a > 0) ashift = a;
                continue;
            }

            if (IsSettable(row)) settable[row.Property] = row.Value;
        }

        return new LivePool(pool.Name, Layout(pool.Root), disks, ashift, settable);
    }

    /// <summary>
    /// A leaf's path as state.yaml would name it: zfs-fuse drops the <c>/dev/</c> of by-id paths
    /// (<c>disk/by-id/ata-…</c>), OpenZFS with <c>-P</c> shows the partition (<c>…-part1</c>).
    /// </summary>
    public static string DiskPath(string leaf)
    {
        var path = leaf.StartsWith(ZfsFuseByIdPrefix, StringComparison.Ordinal) ? "/dev/" + leaf : leaf;
        return path.StartsWith(NameRules.ByIdPrefix, StringComparison.Ordinal) ? DiskIdNormalizer.Normalize(path) : path;
    }

    /// <summary>The layout of the data vdevs, or null when they are mixed, dRAID or absent.</summary>
    public static VdevType? Layout(Vdev root)
    {
        var groups = root.Children.Select(GroupType).Distinct().ToList();
        return groups is [{ } only] ? only : null;
    }

    private static VdevType? GroupType(Vdev vdev) => vdev.Kind switch
    {
        VdevKind.Disk or VdevKind.File => VdevType.Stripe,
        VdevKind.Mirror => VdevType.Mirror,
        VdevKind.Raidz => RaidzLevel(vdev.Name),
        _ => null,
    };

    /// <summary>zfs-fuse prints <c>raidz1-0</c> (or plain <c>raidz1</c>), OpenZFS <c>raidz1-0</c> … <c>raidz3-0</c>; bare <c>raidz</c> is raidz1.</summary>
    private static VdevType? RaidzLevel(string name)
    {
        var level = name["raidz".Length..].Split('-')[0];
        return level switch
        {
            "" or "1" => VdevType.Raidz1,
            "2" => VdevType.Raidz2,
            "3" => VdevType.Raidz3,
            _ => null,
        };
    }

    /// <summary>
    /// Only settable properties go into the snapshot (plan ids hash it): read-only ones (source
    /// <c>-</c>) such as free or capacity change with every write, and feature flags are not managed.
    /// </summary>
    private static bool IsSettable(ZfsPropertyRow row) =>
        row.Source is not null and not "-" && !row.Property.StartsWith("feature@", StringComparison.Ordinal)
        && row.Property is not ("guid" or "load_guid" or "version");
}
