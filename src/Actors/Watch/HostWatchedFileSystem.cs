namespace DPlaneOS.Actors.Watch;

/// <summary>The real file system: <see cref="Directory"/> and inotify through <see cref="FileSystemWatcher"/>.</summary>
public sealed class HostWatchedFileSystem : IWatchedFileSystem
{
    public static readonly HostWatchedFileSystem Instance = new();

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public IDisposable Watch(string root, bool recursive, Action<string, string> changed, Action<string> failed)
    {
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
            InternalBufferSize = 64 * 1024,
        };
        try
        {
            watcher.Created += (_, e) => changed(e.FullPath, "created");
            watcher.Changed += (_, e) => changed(e.FullPath, "changed");
            watcher.Deleted += (_, e) => changed(e.FullPath, "deleted");
            watcher.Renamed += (_, e) =>
            {
                changed(e.OldFullPath, "renamed-from");
                changed(e.FullPath, "renamed-to");
            };
            watcher.Error += (_, e) => failed(e.GetException().Message);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch
        {
            watcher.Dispose();
            throw;
        }
    }
}
