namespace DPlaneOS.Actors.Watch;

/// <summary>The event types <see cref="FileWatchActor"/> publishes on the monitor topic.</summary>
public static class WatchEvents
{
    /// <summary>Changes to one path in one coalescing window (data: path, root, kinds, count, firstAt, lastAt).</summary>
    public const string FileChanged = "file.changed";

    /// <summary>Watching a root failed, usually a kernel queue overflow: changes were lost (data: root, message).</summary>
    public const string WatchError = "file.watch-error";

    /// <summary>The inotify usage level changed, or its first reading since start (data: level, previousLevel, used, limit, …).</summary>
    public const string InotifyUsage = "inotify.usage";
}
