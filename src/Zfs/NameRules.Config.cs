using System.Text.RegularExpressions;
using DPlaneOS.Zfs.GitOps;

namespace DPlaneOS.Zfs;

/// <summary>
/// The values of state.yaml besides pool and dataset names: share names, paths, disks, users,
/// free text and pool properties. Each check returns null when the value is fine, or a message that
/// says why not. Commands are argument arrays (no shell), but these values also end up in smb.conf
/// and in logs, so shell and config metacharacters are refused everywhere.
/// </summary>
public static partial class NameRules
{
    public const string ByIdPrefix = "/dev/disk/by-id/";

    private const string Metacharacters = ";|&$`\\\"'<>(){}[]*?!~# \t";

    private static readonly HashSet<string> ReservedShareNames = new(StringComparer.OrdinalIgnoreCase) { "global", "homes", "printers" };

    /// <summary>SMB share names: letters, digits, '_', '-', '.'; at most 80 characters; not a special section.</summary>
    public static string? CheckShareName(string name)
    {
        if (name.Length == 0) return "share name must not be empty";
        if (BadChar(name) is { } bad) return $"share name '{name}' contains {bad}";
        if (!ShareName().IsMatch(name))
            return $"share name '{name}' must start with a letter or digit, contain only letters, digits, '_', '-' and '.', and be at most 80 characters";
        if (ReservedShareNames.Contains(name)) return $"share name '{name}' is a reserved smb.conf section";
        return null;
    }

    /// <summary>An absolute, canonical path: starts with '/', no '//', no '.'/'..' components, no trailing '/'.</summary>
    public static string? CheckAbsolutePath(string path, string what)
    {
        if (path.Length == 0) return $"{what} must not be empty";
        if (BadChar(path) is { } bad) return $"{what} '{path}' contains {bad}";
        if (!path.StartsWith('/')) return $"{what} '{path}' must be an absolute path starting with '/'";
        if (path == "/") return null;
        if (path.EndsWith('/')) return $"{what} '{path}' must not end with '/'";
        if (path.Contains("//", StringComparison.Ordinal)) return $"{what} '{path}' must not contain '//'";
        if (path.Split('/').Any(p => p is "." or ".."))
            return $"{what} '{path}' must not contain '.' or '..' components";
        return path.Length > 4095 ? $"{what} is longer than 4095 characters" : null;
    }

    /// <summary>Disks must be whole-disk /dev/disk/by-id/ paths: kernel names (sdX, nvmeXnY) move between boots.</summary>
    public static string? CheckDisk(string disk)
    {
        if (BadChar(disk) is { } bad) return $"disk '{disk}' contains {bad}; use its /dev/disk/by-id/ path";
        if (KernelDiskName().IsMatch(disk))
            return $"disk '{disk}' is a kernel device name that can change between boots; use its /dev/disk/by-id/ path";
        if (disk.StartsWith("/dev/disk/", StringComparison.Ordinal) && !disk.StartsWith(ByIdPrefix, StringComparison.Ordinal))
            return $"disk '{disk}' is not a by-id path; only /dev/disk/by-id/ names stay the same across boots and controllers";
        if (!disk.StartsWith('/'))
            return $"disk '{disk}' is not a device path; use its /dev/disk/by-id/ path";
        if (!disk.StartsWith(ByIdPrefix, StringComparison.Ordinal))
            return $"disk '{disk}' is not under /dev/disk/by-id/; only by-id names stay the same across boots";
        var id = disk[ByIdPrefix.Length..];
        if (id.Length == 0 || id is "." or ".." || !DiskId().IsMatch(id))
            return $"disk '{disk}' is not a valid by-id name (one path component of letters, digits, '_', '-', '.', ':', '+')";
        if (DiskIdNormalizer.Normalize(disk) != disk)
            return $"disk '{disk}' names a partition; list the whole disk by-id (ZFS partitions it itself)";
        return null;
    }

    /// <summary>A user or @group in valid_users.</summary>
    public static string? CheckUser(string user)
    {
        if (BadChar(user) is { } bad) return $"user '{user}' contains {bad}";
        return SmbUser().IsMatch(user) ? null : $"user '{user}' must be a user name or @group of letters, digits, '_', '-' and '.'";
    }

    /// <summary>Free text that goes into smb.conf: one line, no control characters.</summary>
    public static string? CheckFreeText(string text, string what)
    {
        if (text.Any(char.IsControl)) return $"{what} must be a single line without control characters";
        return text.Length > 256 ? $"{what} is longer than 256 characters" : null;
    }

    /// <summary>A property name (<c>autotrim</c>) or user property (<c>org.example:owner</c>).</summary>
    public static string? CheckPropertyName(string key) =>
        StateYamlPropertyName().IsMatch(key) ? null : $"property name '{key}' must be lower-case letters, digits and '_' (or a module:property user property)";

    public static string? CheckPropertyValue(string key, string value)
    {
        if (value.Length == 0) return $"property '{key}' must have a value";
        return BadChar(value) is { } bad ? $"property '{key}' value '{value}' contains {bad}" : null;
    }

    /// <summary>The first control or shell/config metacharacter in <paramref name="text"/>, said in words; null if none.</summary>
    private static string? BadChar(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c)) return c == '\n' ? "a line break" : "a control character";
            if (Metacharacters.Contains(c)) return c switch
            {
                ' ' => "a space",
                '\t' => "a tab",
                _ => $"the shell metacharacter '{c}'",
            };
        }

        return null;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,79}\z")]
    private static partial Regex ShareName();

    [GeneratedRegex(@"\A(/dev/)?(sd[a-z]+[0-9]*|hd[a-z]+[0-9]*|vd[a-z]+[0-9]*|xvd[a-z]+[0-9]*|nvme[0-9]+n[0-9]+(p[0-9]+)?)\z")]
    private static partial Regex KernelDiskName();

    [GeneratedRegex(@"\A[A-Za-z0-9_.:+-]+\z")]
    private static partial Regex DiskId();

    [GeneratedRegex(@"\A@?[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex SmbUser();

    [GeneratedRegex(@"\A([a-z][a-z0-9_]*|[a-z0-9][a-z0-9_.-]*:[a-z0-9_.:-]+)\z")]
    private static partial Regex StateYamlPropertyName();
}
