using DPlaneOS.Actors.Storage.Pools;

namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// A small file the daemon owns in its data dir, replaced whole: after a crash the path holds the
/// old content or the new one, never a torn file, and nothing is ever written through a link
/// someone planted at the path or beside it.
/// </summary>
public static class OwnedFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The temporary file a write goes through first, in the same directory (so the rename is atomic).</summary>
    public static string TemporaryPath(string path) => path + ".tmp";

    /// <summary>
    /// Writes <paramref name="content"/> to <see cref="TemporaryPath"/> (created exclusively with mode 0600:
    /// O_CREAT|O_EXCL never follows a link), fsyncs it, renames it over <paramref name="path"/> (which
    /// replaces a link there rather than following it) and fsyncs the directory, so the rename itself
    /// survives a power loss. Blocking I/O: actors call it from a task.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temp = TemporaryPath(path);
        // A crash's leftover or a planted link: unlink removes the entry itself, never its target.
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew,
                   Access = FileAccess.Write,
                   UnixCreateMode = OwnerOnly,
               }))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    // .NET opens no directory handle, and fsync of the directory is what makes a rename durable.
    private static void SyncDirectory(string directory)
    {
        // A data dir reached through a link (say /var/lib/dplaneos -> /persist/…) is synced where it really is.
        directory = Directory.ResolveLinkTarget(directory, returnFinalTarget: true)?.FullName ?? directory;
        using var handle = NoFollowFiles.OpenDirectory(directory);
        var error = handle.IsInvalid ? NoFollowFiles.LastError : NoFollowFiles.Sync(handle);
        if (error != 0) throw new IOException($"cannot sync directory {directory}: {NoFollowFiles.Describe(error)}");
    }
}
