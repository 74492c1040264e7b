namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>Which running containers a failed pool takes down.</summary>
public static class ContainerSelection
{
    public static IReadOnlyList<DockerContainer> Affected(IEnumerable<DockerContainer> running, DockerStopMode mode, IReadOnlyList<string> poolMountpoints) =>
        mode == DockerStopMode.All
            ? running.ToList()
            : running.Where(c => c.MountSources.Any(source => poolMountpoints.Any(mountpoint => IsUnder(source, mountpoint)))).ToList();

    /// <summary>True when <paramref name="path"/> is <paramref name="mountpoint"/> or below it (whole path components only).</summary>
    public static bool IsUnder(string path, string mountpoint)
    {
        var root = mountpoint.TrimEnd('/');
        if (root.Length == 0) return path.StartsWith('/');
        var candidate = path.TrimEnd('/');
        return candidate == root || candidate.StartsWith(root + "/", StringComparison.Ordinal);
    }
}
