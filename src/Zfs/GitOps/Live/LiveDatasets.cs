using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.GitOps.Planning;

namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>The <c>zfs get</c> property list the plan needs, and the mapping of its rows to <see cref="LiveDataset"/>s.</summary>
public static class LiveDatasets
{
    /// <summary>Compared by the planner (see <see cref="DatasetPlanner"/>).</summary>
    public static readonly IReadOnlyList<string> Managed = ["quota", "compression", "atime", "mountpoint", "recordsize", "encryption", "casesensitivity"];

    /// <summary>
    /// What <c>zfs get</c> is asked for. zfs-fuse (pool version 23) has no encryption and refuses the
    /// whole command when asked for it, so it is left out there and reported as <c>off</c>, which is the truth.
    /// </summary>
    public static IReadOnlyList<string> Properties(ZfsDialect dialect) =>
        ["type", "used", .. Managed.Where(p => dialect == ZfsDialect.OpenZfs || p != "encryption")];

    /// <summary>Filesystems only: snapshots, volumes and bookmarks are not managed by state.yaml.</summary>
    public static IReadOnlyList<LiveDataset> From(IReadOnlyList<ZfsDatasetProperties> rows, ZfsDialect dialect)
    {
        var result = new List<LiveDataset>(rows.Count);
        foreach (var ds in rows)
        {
            if (ds.Type != "filesystem") continue;
            var properties = new Dictionary<string, string>(Managed.Count, StringComparer.Ordinal);
            foreach (var name in Managed)
                if (ds.Properties.TryGetValue(name, out var value) && value != "-") properties[name] = value;
            if (dialect == ZfsDialect.ZfsFuse) properties.TryAdd("encryption", "off");
            result.Add(new LiveDataset(ds.Name, ds.Bytes("used"), properties));
        }

        return result;
    }
}
