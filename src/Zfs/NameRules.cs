using System.Text.RegularExpressions;

namespace DPlaneOS.Zfs;

/// <summary>
/// ZFS naming rules for anything that reaches a command line. Commands are run with argument
/// arrays, so this is not about shell quoting: it stops option injection (<c>-f</c>), path
/// tricks and names ZFS itself would refuse, with a message that says what is wrong.
/// </summary>
public static partial class NameRules
{
    // Vdev keywords zpool would misread as a pool name; OpenZFS refuses the mirror/raidz/draid/spare
    // prefixes at create time too (zpool_name_valid), so "mirror2" or "spares" never becomes a pool.
    private static readonly HashSet<string> ReservedPoolNames = ["log", "cache", "special", "dedup"];
    private static readonly string[] ReservedPoolPrefixes = ["mirror", "raidz", "draid", "spare"];

    /// <summary>Null when <paramref name="name"/> is a valid pool name, else why not.</summary>
    public static string? PoolNameError(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a pool name is required";
        if (name.Length > 255) return "a pool name has at most 255 characters";
        if (!PoolPattern().IsMatch(name))
            return "a pool name starts with a letter and contains only letters, digits, '_', '-', '.' and ':'";
        if (IsReservedPoolName(name)) return $"'{name}' is reserved by ZFS";
        if (CxPattern().IsMatch(name)) return "a pool name may not look like a disk (c0 …)";
        return null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid filesystem/volume name (pool/a/b), else why not.</summary>
    public static string? DatasetNameError(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a dataset name is required";
        if (name.Length > 255) return "a dataset name has at most 255 characters";
        if (name.Contains("//", StringComparison.Ordinal)) return "a dataset name may not contain '//'";
        if (name.EndsWith('/')) return "a dataset name may not end with '/'";
        var parts = name.Split('/');
        if (PoolNameError(parts[0]) is { } poolError) return poolError;
        foreach (var part in parts.Skip(1))
        {
            if (part is "." or "..") return "a dataset name may not contain '.' or '..' components";
            if (!ComponentPattern().IsMatch(part))
                return $"'{part}' may contain only letters, digits, '_', '-', '.', ':' and ' '";
        }
        return null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid snapshot name (the part after '@'), else why not.</summary>
    public static string? SnapshotNameError(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a snapshot name is required";
        if (name.Length > 200) return "a snapshot name has at most 200 characters";
        if (!SnapshotPattern().IsMatch(name))
            return "a snapshot name starts with a letter or digit and contains only letters, digits, '_', '-', '.' and ':'";
        return null;
    }

    /// <summary>Pool names ZFS reserves (vdev keywords and the prefixes it refuses at create time).</summary>
    public static bool IsReservedPoolName(string name) =>
        ReservedPoolNames.Contains(name) || ReservedPoolPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Null when <paramref name="path"/> is a device path smartctl may be given: under /dev, no '..', one printable line.</summary>
    public static string? DevicePathError(string path)
    {
        if (!path.StartsWith("/dev/", StringComparison.Ordinal)) return "a device path starts with /dev/";
        if (path.Split('/').Any(part => part == "..")) return "a device path may not contain '..'";
        return path.Any(char.IsControl) ? "a device path may not contain control characters" : null;
    }

    public static string RequirePool(string name) =>
        PoolNameError(name) is { } error ? throw new ArgumentException($"Invalid pool name '{name}': {error}.", nameof(name)) : name;

    public static string RequireDataset(string name) =>
        DatasetNameError(name) is { } error ? throw new ArgumentException($"Invalid dataset name '{name}': {error}.", nameof(name)) : name;

    /// <summary>Validates both halves of <c>dataset@snapshot</c> and returns the full name.</summary>
    public static string RequireSnapshot(string dataset, string snapshot)
    {
        RequireDataset(dataset);
        return SnapshotNameError(snapshot) is { } error
            ? throw new ArgumentException($"Invalid snapshot name '{snapshot}': {error}.", nameof(snapshot))
            : $"{dataset}@{snapshot}";
    }

    /// <summary>ZFS property names: lower-case words, user properties with a ':' and feature@ names.</summary>
    public static string RequireProperty(string property) =>
        PropertyPattern().IsMatch(property) ? property : throw new ArgumentException($"Invalid ZFS property name '{property}'.", nameof(property));

    /// <summary>
    /// A property value for <c>zfs set</c>/<c>create -o</c>: printable, one line, at most 1024
    /// characters (ZFS's limit for user properties is 8191; ours are sizes and words).
    /// </summary>
    public static string RequirePropertyValue(string value) =>
        value.Length is > 0 and <= 1024 && !value.Any(char.IsControl)
            ? value
            : throw new ArgumentException("A ZFS property value is 1 to 1024 printable characters on one line.", nameof(value));

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_.:-]*\z")]
    private static partial Regex PoolPattern();

    [GeneratedRegex(@"\Ac[0-9]")]
    private static partial Regex CxPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9_.: -]+\z")]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.:-]*\z")]
    private static partial Regex SnapshotPattern();

    [GeneratedRegex(@"\A[a-z][a-z0-9_.:@-]*\z")]
    private static partial Regex PropertyPattern();
}
