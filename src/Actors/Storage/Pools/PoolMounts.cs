using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>
/// Where a pool can be probed (its root dataset's mountpoint, when mounted) and where all its mounted
/// filesystems are (what the Docker guard matches container mounts against).
/// </summary>
/// <param name="ProbeDirectory">The root dataset's mountpoint; null when there is nothing to write to.</param>
/// <param name="NotProbeableReason">Why <paramref name="ProbeDirectory"/> is null.</param>
/// <param name="Mountpoints">Every mounted filesystem of the pool, root first.</param>
public sealed record PoolMounts(string? ProbeDirectory, string? NotProbeableReason, IReadOnlyList<string> Mountpoints)
{
    /// <summary>What <see cref="IZfs.GetAsync"/> is asked for, recursively from the pool's root.</summary>
    public static readonly IReadOnlyList<string> Properties = ["type", "mounted", "mountpoint"];

    public static PoolMounts From(string pool, IReadOnlyList<ZfsDatasetProperties> datasets)
    {
        var filesystems = datasets
            .Where(d => d.Type == "filesystem" && (d.Name == pool || d.Name.StartsWith(pool + "/", StringComparison.Ordinal)))
            .ToList();
        var mountpoints = filesystems
            .Where(d => Value(d, "mounted") == "yes" && Value(d, "mountpoint") is { } path && path.StartsWith('/'))
            .Select(d => Value(d, "mountpoint")!)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var root = filesystems.FirstOrDefault(d => d.Name == pool);
        if (root is null) return new PoolMounts(null, $"zfs get lists no root filesystem for {pool}", mountpoints);
        var mountpoint = Value(root, "mountpoint");
        if (mountpoint is null or "none" or "legacy" or "-" || !mountpoint.StartsWith('/'))
            return new PoolMounts(null, $"mountpoint is {mountpoint ?? "unknown"}", mountpoints);
        if (Value(root, "mounted") != "yes") return new PoolMounts(null, $"not mounted (mountpoint {mountpoint})", mountpoints);
        return new PoolMounts(mountpoint, null, mountpoints);
    }

    /// <summary>
    /// The mounts from a fresh lookup; when the lookup fails (zfs-fuse answers "pool I/O is currently
    /// suspended" for a hung pool), the last known mounts, so the write probe can show what is wrong.
    /// </summary>
    public static PoolMounts FromLookup(string pool, HostResult<IReadOnlyList<ZfsDatasetProperties>> lookup, PoolMounts? lastKnown) =>
        lookup.IsOk ? From(pool, lookup.Value)
        : lastKnown is { ProbeDirectory: not null } ? lastKnown
        : new PoolMounts(null, $"cannot read mount state: {lookup.Error.Message}", lastKnown?.Mountpoints ?? []);

    private static string? Value(ZfsDatasetProperties dataset, string property) =>
        dataset.Properties.TryGetValue(property, out var value) ? value : null;
}
