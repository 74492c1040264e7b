using System.Globalization;

namespace DPlaneOS.Zfs.Watch;

/// <summary>
/// Pure parsers for the <c>/proc</c> files that tell how many inotify watches a process holds.
/// Every inotify fd's <c>/proc/&lt;pid&gt;/fdinfo/&lt;fd&gt;</c> has one <c>inotify wd:</c> line per
/// watch; the kernel charges watches to the user that created the instance and limits them per user
/// (<c>max_user_watches</c>) — so watches, not fds, are what runs out.
/// </summary>
public static class InotifyFdInfo
{
    /// <summary>What <c>readlink /proc/&lt;pid&gt;/fd/&lt;fd&gt;</c> gives for an inotify instance.</summary>
    public const string LinkTarget = "anon_inode:inotify";

    private const string WatchPrefix = "inotify wd:";

    /// <summary>The number of watches in one fdinfo text (0 for an inotify fd with no watches or any other fd).</summary>
    public static int CountWatches(string fdinfo)
    {
        var count = 0;
        foreach (var line in fdinfo.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(WatchPrefix, StringComparison.Ordinal)) count++;
        }
        return count;
    }

    /// <summary>The effective UID from <c>/proc/&lt;pid&gt;/status</c> (<c>Uid: real effective saved fs</c>), or null.</summary>
    public static int? EffectiveUid(string status)
    {
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
            var fields = line[4..].ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        return null;
    }

    /// <summary>A <c>/proc/sys/fs/inotify/max_user_*</c> value, or null when it is not a positive integer.</summary>
    public static long? Limit(string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null;
}
