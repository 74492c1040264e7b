namespace DPlaneOS.Actors.Watch;

/// <summary>
/// The file system calls <see cref="FileWatchActor"/> makes. Any of them can block on a hung mount,
/// so the actor makes them only on thread-pool tasks, never on its own thread.
/// </summary>
public interface IWatchedFileSystem
{
    bool DirectoryExists(string path);

    /// <summary>
    /// Starts watching <paramref name="root"/>; disposing the result stops it. The callbacks run on
    /// any thread: <paramref name="changed"/> gets (path, kind), <paramref name="failed"/> a message.
    /// </summary>
    IDisposable Watch(string root, bool recursive, Action<string, string> changed, Action<string> failed);
}
