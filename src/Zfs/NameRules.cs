using System.Text.RegularExpressions;

namespace DPlaneOS.Zfs;

/// <summary>
/// ZFS naming rules for anything that reaches a command line. Commands are run with argument
/// arrays, so this is not about shell quoting: it stops option injection (<c>-f</c>), path
/// tricks and names ZFS itself would refuse, with a message that says what is wrong. The only
/// copy: state.yaml (<see cref="CheckPoolName"/>, <see cref="NameRules.CheckShareName"/> …), the
/// routes, the heartbeat's pool filter and the snapshotter all judge names here.
/// </summary>
public static partial class NameRules
{
    /// <summary>
    /// ZFS's own limit for pool names: pool_namecheck refuses 240 characters and more, so that
    /// "pool/$ORIGIN@$ORIGIN" still fits ZFS_MAX_DATASET_NAME_LEN (256 with the NUL).
    /// </summary>
    public const int MaxPoolName = 239;

    /// <summary>ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL.</summary>
    public const int MaxDatasetName = 255;

    // Vdev keywords zpool would misread as a pool name; OpenZFS refuses the mirror/raidz/draid/spare
    // prefixes at create time too (zpool_name_valid), so "mirror2" or "spares" never becomes a pool.
    private static readonly HashSet<string> ReservedPoolNames = ["log", "cache", "special", "dedup"];
    private static readonly string[] ReservedPoolPrefixes = ["mirror", "raidz", "draid", "spare"];

    private enum PoolFault { Missing, TooLong, Characters, Reserved, DiskLike }

    private enum DatasetFault { Missing, TooLong, DoubleSlash, TrailingSlash, LeadingSlash, Pool, DotComponent, Component }

    private readonly record struct DatasetProblem(DatasetFault Fault, string Part);

    /// <summary>
    /// The one pool-name judgement: every caller (state.yaml, routes, the heartbeat, snapshots, the
    /// CLI) goes through it, so a name is accepted or refused the same way everywhere; only the
    /// wording differs (<see cref="PoolNameError"/> for the API, <see cref="CheckPoolName"/> for state.yaml).
    /// Stricter than ZFS in two places: no space (allowed by ZFS, but these names reach smb.conf
    /// and logs) and no leading <c>c[0-9]</c> (the old Solaris disk-name rule).
    /// </summary>
    private static PoolFault? JudgePool(string? name)
    {
        if (string.IsNullOrEmpty(name)) return PoolFault.Missing;
        if (name.Length > MaxPoolName) return PoolFault.TooLong;
        if (!PoolPattern().IsMatch(name)) return PoolFault.Characters;
        if (IsReservedPoolName(name)) return PoolFault.Reserved;
        return CxPattern().IsMatch(name) ? PoolFault.DiskLike : null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid pool name, else why not.</summary>
    public static string? PoolNameError(string? name) => JudgePool(name) switch
    {
        null => null,
        PoolFault.Missing => "a pool name is required",
        PoolFault.TooLong => $"a pool name has at most {MaxPoolName} characters",
        PoolFault.Characters => "a pool name starts with a letter and contains only letters, digits, '_', '-', '.' and ':'",
        PoolFault.Reserved => $"'{name}' is reserved by ZFS",
        _ => "a pool name may not look like a disk (c0 …)",
    };

    /// <summary>
    /// <see cref="PoolNameError"/>'s judgement in state.yaml's words: the message names the value and
    /// the first shell metacharacter or control character in it.
    /// </summary>
    public static string? CheckPoolName(string name) => JudgePool(name) switch
    {
        null => null,
        PoolFault.Missing => "pool name must not be empty",
        _ when BadChar(name) is { } bad => $"pool name '{name}' contains {bad}",
        PoolFault.TooLong => $"pool name is longer than {MaxPoolName} characters",
        PoolFault.Characters => $"pool name '{name}' must start with a letter and contain only letters, digits, '_', '-', '.' and ':'",
        PoolFault.Reserved => $"pool name '{name}' is reserved by ZFS",
        _ => $"pool name '{name}' looks like a disk name (c0...) which ZFS reserves",
    };

    /// <summary>
    /// The one dataset-name judgement. <paramref name="spaces"/>: ZFS allows ' ' in the components
    /// below the pool (and live datasets may have them); state.yaml refuses it, as it refuses every
    /// shell and smb.conf metacharacter.
    /// </summary>
    private static DatasetProblem? JudgeDataset(string? name, bool spaces)
    {
        if (string.IsNullOrEmpty(name)) return new(DatasetFault.Missing, "");
        if (name.Length > MaxDatasetName) return new(DatasetFault.TooLong, "");
        if (name.Contains("//", StringComparison.Ordinal)) return new(DatasetFault.DoubleSlash, "");
        if (name.EndsWith('/')) return new(DatasetFault.TrailingSlash, "");
        var parts = name.Split('/');
        if (parts[0].Length == 0) return new(DatasetFault.LeadingSlash, "");
        if (JudgePool(parts[0]) is not null) return new(DatasetFault.Pool, parts[0]);
        foreach (var part in parts.Skip(1))
        {
            if (part is "." or "..") return new(DatasetFault.DotComponent, part);
            if (!(spaces ? ComponentPattern() : ComponentWithoutSpacePattern()).IsMatch(part)) return new(DatasetFault.Component, part);
        }

        return null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid filesystem/volume name (pool/a/b), else why not.</summary>
    public static string? DatasetNameError(string? name) => JudgeDataset(name, spaces: true) switch
    {
        null => null,
        { Fault: DatasetFault.Missing } => "a dataset name is required",
        { Fault: DatasetFault.TooLong } => $"a dataset name has at most {MaxDatasetName} characters",
        { Fault: DatasetFault.DoubleSlash } => "a dataset name may not contain '//'",
        { Fault: DatasetFault.TrailingSlash } => "a dataset name may not end with '/'",
        { Fault: DatasetFault.LeadingSlash } => PoolNameError(""),
        { Fault: DatasetFault.Pool, Part: var pool } => PoolNameError(pool),
        { Fault: DatasetFault.DotComponent } => "a dataset name may not contain '.' or '..' components",
        { Part: var part } => $"'{part}' may contain only letters, digits, '_', '-', '.', ':' and ' '",
    };

    /// <summary>A dataset name in state.yaml: <see cref="DatasetNameError"/>'s judgement without spaces, in state.yaml's words.</summary>
    public static string? CheckDatasetName(string name) => JudgeDataset(name, spaces: false) switch
    {
        null => null,
        { Fault: DatasetFault.Missing } => "dataset name must not be empty",
        _ when BadChar(name) is { } bad => $"dataset name '{name}' contains {bad}",
        { Fault: DatasetFault.TooLong } => $"dataset name is longer than {MaxDatasetName} characters",
        { Fault: DatasetFault.DoubleSlash } => $"dataset name '{name}' must not contain '//'",
        { Fault: DatasetFault.TrailingSlash } => $"dataset name '{name}' must not end with '/'",
        { Fault: DatasetFault.LeadingSlash } => $"dataset name '{name}' must start with the pool name, not '/'",
        { Fault: DatasetFault.Pool, Part: var pool } => CheckPoolName(pool),
        { Fault: DatasetFault.DotComponent } => $"dataset name '{name}' must not contain '.' or '..' components",
        { Part: var part } => $"dataset name '{name}': component '{part}' may contain only letters, digits, '_', '-', '.' and ':'",
    };

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

    [GeneratedRegex(@"\A[A-Za-z0-9_.:-]+\z")]
    private static partial Regex ComponentWithoutSpacePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.:-]*\z")]
    private static partial Regex SnapshotPattern();

    [GeneratedRegex(@"\A[a-z][a-z0-9_.:@-]*\z")]
    private static partial Regex PropertyPattern();
}
