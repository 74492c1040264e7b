namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// The pool properties state.yaml may set (<c>pools[].properties</c>, passed to <c>zpool create -o</c>
/// and <c>zpool set</c>): an allowlist, because several pool properties make the root daemon write
/// files or move mounts anywhere. Dataset properties need no list here: a dataset has a fixed set of
/// keys (quota, compression, atime, mountpoint, recordsize, encryption with key_format/key_location,
/// casesensitivity) and every other key is an unknown-key error.
/// </summary>
public static class PoolProperties
{
    /// <summary>ZPROP_MAX_COMMENT in OpenZFS.</summary>
    public const int MaxComment = 32;

    private static readonly string[] OnOff = ["on", "off"];

    /// <summary>Settable and harmless, with their values (null: free text).</summary>
    private static readonly Dictionary<string, string[]?> Allowed = new(StringComparer.Ordinal)
    {
        ["autoexpand"] = OnOff,
        ["autoreplace"] = OnOff,
        ["autotrim"] = OnOff,
        ["comment"] = null,
        ["delegation"] = OnOff,
        ["failmode"] = ["wait", "continue"],
        ["listsnapshots"] = OnOff,
        ["multihost"] = OnOff,
    };

    /// <summary>Real pool properties that are refused, with the reason the user sees.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["altroot"] = "altroot re-roots every mountpoint of the pool, past the mount tree checks; import with -R by hand if you need it",
        ["cachefile"] = "cachefile makes zpool write a file at any path, as root; the default cache file is kept",
        ["bootfs"] = "bootfs decides what the machine boots; set it by hand",
        ["readonly"] = "readonly can only be chosen at import time",
        ["version"] = "version selects a legacy on-disk format and cannot be undone",
        ["compatibility"] = "compatibility limits the pool's features; set it by hand at create time",
        ["dedupditto"] = "dedupditto is obsolete",
    };

    public static string AllowedList => string.Join(", ", Allowed.Keys) + " or a user property (module:name)";

    /// <summary>Null when state.yaml may set <paramref name="key"/> at all, else why not (reported at the key).</summary>
    public static string? KeyError(string key)
    {
        if (Allowed.ContainsKey(key)) return null;
        if (Refused.TryGetValue(key, out var why)) return $"pool property '{key}' is refused: {why}";
        if (key.StartsWith("feature@", StringComparison.Ordinal))
            return $"pool property '{key}' is refused: enabling a feature cannot be undone and may make the pool unimportable elsewhere; run zpool set or zpool upgrade by hand";
        if (NameRules.CheckPropertyName(key) is { } nameError) return nameError;
        return key.Contains(':') ? null : $"'{key}' is not a pool property state.yaml may set; allowed: {AllowedList}";
    }

    /// <summary>Null when <paramref name="value"/> fits <paramref name="key"/> (already allowed by <see cref="KeyError"/>), else why not.</summary>
    public static string? ValueError(string key, string value)
    {
        if (NameRules.CheckPropertyValue(key, value) is { } error && key != "comment") return error;
        if (!Allowed.TryGetValue(key, out var values)) return null; // a user property: any single safe word
        if (values is not null)
        {
            if (key == "failmode" && value == "panic")
                return "failmode=panic halts the host on a pool fault, before the daemon can raise an alert or stop containers; set it by hand if you mean it";
            return values.Contains(value) ? null : $"pool property {key} must be {string.Join(" or ", values)}, found '{value}'";
        }

        if (value.Length > MaxComment) return $"pool property comment has at most {MaxComment} characters, found {value.Length}";
        return value.All(c => c is >= ' ' and <= '~') ? null : "pool property comment must be printable ASCII on one line";
    }
}
