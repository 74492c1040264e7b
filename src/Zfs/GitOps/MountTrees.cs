namespace DPlaneOS.Zfs.GitOps;

/// <summary>
/// The path checks of state.yaml. A pool's mount tree is <c>/&lt;pool&gt;</c> (where ZFS mounts it by
/// default) and, when known, the live mountpoint of its root dataset, unless that is itself refused.
/// A dataset's mountpoint must lie in its own pool's tree or under an allowed prefix; a share path
/// in any known pool's tree or under an allowed prefix. Refused paths (<see cref="PathPolicy"/>) win over both.
/// </summary>
internal sealed class MountTrees(PathPolicy paths, IReadOnlyDictionary<string, string> poolMountpoints)
{
    private const string PrefixSetting = "DPlaneOS:GitOps:AllowedPathPrefixes";

    public string? MountpointError(string mountpoint, string pool)
    {
        if (paths.Refusal(mountpoint) is { } refused) return $"mountpoint '{mountpoint}' is refused: {refused}";
        var trees = Trees(pool);
        if (paths.IsAllowedByPrefix(mountpoint) || trees.Any(t => PathPolicy.IsWithin(mountpoint, t))) return null;
        return $"mountpoint '{mountpoint}' is outside pool '{pool}''s mount tree ({string.Join(", ", trees)}); put it there or add a prefix to {PrefixSetting}";
    }

    /// <param name="checkTrees">False when the host's pools are unknown: only refused paths are checked then.</param>
    public string? SharePathError(string path, IReadOnlyList<string> pools, bool checkTrees)
    {
        if (paths.Refusal(path) is { } refused) return $"share path '{path}' is refused: {refused}";
        if (!checkTrees || paths.IsAllowedByPrefix(path)) return null;
        var trees = pools.SelectMany(Trees).Distinct(StringComparer.Ordinal).ToList();
        if (trees.Any(t => PathPolicy.IsWithin(path, t))) return null;
        var listed = trees.Count == 0 ? "no pools" : string.Join(", ", trees);
        return $"share path '{path}' is not in a pool's mount tree ({listed}) or under a prefix in {PrefixSetting}";
    }

    /// <summary>A pool created from state.yaml is mounted at <c>/&lt;pool&gt;</c> by zpool create, before any mountpoint is set.</summary>
    public string? NewPoolError(string pool) =>
        paths.Refusal("/" + pool) is { } refused ? $"pool '{pool}' would mount at /{pool}, which is refused: {refused}" : null;

    /// <summary>smbd expands %U, %H, %$(VAR) … in a path, so the directory shared would not be the one checked.</summary>
    public static string? SharePathSyntaxError(string path) =>
        path.Contains('%') ? $"share path '{path}' contains '%', which smbd expands (%U, %H, …) into another path" : null;

    private List<string> Trees(string pool)
    {
        var trees = new List<string> { "/" + pool };
        if (poolMountpoints.TryGetValue(pool, out var live) && NameRules.CheckAbsolutePath(live, "mountpoint") is null
            && paths.Refusal(live) is null && live != trees[0])
            trees.Add(live);
        return trees;
    }
}
