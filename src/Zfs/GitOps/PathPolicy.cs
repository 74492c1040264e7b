namespace DPlaneOS.Zfs.GitOps;

/// <summary>
/// Where state.yaml may mount datasets and point shares. The daemon runs as root, so a mountpoint
/// over <c>/etc</c> or a share of its own data dir would hand the system (or <c>audit.key</c>) to
/// whoever can write state.yaml or the share. A path is allowed when it lies in its pool's mount
/// tree (see <see cref="StateFileParser"/>) or under one of <see cref="AllowedPrefixes"/>, and it is
/// never one of <see cref="RefusedPaths"/>, inside one, or above one (a mount there would cover it).
/// </summary>
public sealed class PathPolicy
{
    /// <summary>
    /// The system and the daemon: always refused, whatever a prefix allows. Beyond the list
    /// (<c>/</c>, <c>/etc</c>, <c>/boot</c>, <c>/nix</c>, <c>/var/lib/dplaneos</c>) the directories
    /// a mount would break or turn into root access (<c>/root/.ssh</c>, <c>/usr/bin</c>, <c>/dev</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> SystemPaths =
        ["/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/nix", "/proc", "/root", "/run", "/sbin", "/sys", "/usr", "/var/lib/dplaneos"];

    private readonly Dictionary<string, string> _refused;

    private PathPolicy(IReadOnlyList<string> allowedPrefixes, Dictionary<string, string> refused)
    {
        AllowedPrefixes = allowedPrefixes;
        _refused = refused;
    }

    /// <summary>No extra prefixes, the default data dir only.</summary>
    public static PathPolicy Default { get; } = Create([], null);

    /// <summary>Absolute, canonical prefixes (<c>DPlaneOS:GitOps:AllowedPathPrefixes</c>) under which any path is allowed.</summary>
    public IReadOnlyList<string> AllowedPrefixes { get; }

    /// <summary>Every refused path, with what it is (for messages).</summary>
    public IEnumerable<string> RefusedPaths => _refused.Keys;

    /// <param name="allowedPrefixes">Extra trees for mountpoints and shares; each must pass <see cref="NameRules.CheckAbsolutePath"/>.</param>
    /// <param name="dataDir">The daemon's data dir, refused like the system paths.</param>
    public static PathPolicy Create(IEnumerable<string> allowedPrefixes, string? dataDir)
    {
        var prefixes = allowedPrefixes.ToList();
        if (prefixes.FirstOrDefault(p => NameRules.CheckAbsolutePath(p, "an allowed path prefix") is not null) is { } bad)
            throw new ArgumentException(NameRules.CheckAbsolutePath(bad, "an allowed path prefix"), nameof(allowedPrefixes));
        var refused = SystemPaths.ToDictionary(p => p, p => p, StringComparer.Ordinal);
        if (dataDir is { Length: > 0 })
            refused[Canonical(dataDir)] = $"{Canonical(dataDir)} (the daemon's data dir)";
        return new PathPolicy(prefixes, refused);
    }

    /// <summary>Why <paramref name="path"/> may never be a mountpoint or a share (also: it is not absolute and canonical), or null.</summary>
    public string? Refusal(string path)
    {
        // Only canonical paths compare by text: "/./etc" or "/etc/" must not slip past "/etc".
        if (NameRules.CheckAbsolutePath(path, "the path") is { } notCanonical) return notCanonical;
        foreach (var (refused, what) in _refused)
        {
            if (path == refused) return $"it is {what}, which the daemon never mounts over or shares";
            if (refused != "/" && IsUnder(path, refused)) return $"it is inside {what}, which the daemon never mounts over or shares";
            if (IsUnder(refused, path)) return $"a mount or share there would cover {what}";
        }

        return null;
    }

    /// <summary>True when <paramref name="path"/> is under one of <see cref="AllowedPrefixes"/> (or is one).</summary>
    public bool IsAllowedByPrefix(string path) => AllowedPrefixes.Any(prefix => path == prefix || IsUnder(path, prefix));

    /// <summary>Whole components only: <c>/srvx</c> is not under <c>/srv</c>.</summary>
    public static bool IsUnder(string path, string root) =>
        root == "/" ? path.Length > 1 && path[0] == '/' : path.StartsWith(root + "/", StringComparison.Ordinal);

    /// <summary><paramref name="path"/> equals <paramref name="root"/> or lies under it.</summary>
    public static bool IsWithin(string path, string root) => path == root || IsUnder(path, root);

    private static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
