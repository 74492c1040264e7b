using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using static DPlaneOS.Actors.Storage.Pools.NoFollowFiles;

namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>
/// One probe's file I/O, confined to <c>&lt;pool root&gt;/.dplaneos/</c>: a directory the daemon creates and owns
/// (its euid, mode 0700), so nobody who can write the pool root (an SMB share, a bind mount) can put anything
/// inside it. Every step works on directory handles opened without following links: the pool root, then the
/// owned directory (its owner, type and mode checked on the open handle), then the probe file, created exclusive
/// and no-follow, fsynced, renamed within the directory and read back no-follow. Nothing else in the pool root is
/// ever touched. Anything unexpected on the way (a link, a FIFO, a file or directory that is not the daemon's) is
/// <see cref="ProbeIoResult.Tampered"/>, not a failure of the pool: the probe stops there and writes nothing.
/// </summary>
internal static class OwnedProbeDirectory
{
    public const string DirectoryName = ".dplaneos";
    public const string FileName = "heartbeat";
    public const string TemporaryFileName = "heartbeat.tmp";

    private const uint DirectoryMode = 0b111_000_000; // 0700
    private const uint FileMode = 0b110_000_000; // 0600

    public static ProbeIoResult WriteAndReadBack(string root, ReadOnlySpan<byte> content)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            Probe(root, content);
            return ProbeIoResult.Ok(stopwatch.Elapsed);
        }
        catch (TamperedException tampered)
        {
            return ProbeIoResult.Tampered(tampered.Path, tampered.Message, stopwatch.Elapsed);
        }
        catch (Exception ex)
        {
            // The pool's answer (an I/O error, a mismatch); an escaping exception would end the process.
            return ProbeIoResult.Fail(ex is ProbeFailedException ? ex.Message : $"write failed: {ex.Message}", stopwatch.Elapsed);
        }
    }

    private static void Probe(string root, ReadOnlySpan<byte> content)
    {
        using var rootHandle = OpenDirectory(root);
        if (rootHandle.IsInvalid)
        {
            var error = LastError;
            // A link in the last component gives ENOTDIR (with O_DIRECTORY) or ELOOP.
            if (error is ELOOP or ENOTDIR)
                throw new TamperedException(root, $"{root} is {(IsLink(root) ? LinkDescription(root) : "not a directory")}");
            throw Failed("write", $"cannot open {root}", error);
        }

        var directoryPath = Path.Combine(root, DirectoryName);
        var made = MakeDirectory(rootHandle, DirectoryName, DirectoryMode);
        if (made is not (0 or EEXIST)) throw Failed("write", $"cannot create {directoryPath}", made);
        using var directory = OpenDirectory(rootHandle, DirectoryName);
        if (directory.IsInvalid)
        {
            var error = LastError;
            if (error is ELOOP or ENOTDIR) throw Tampered(rootHandle, DirectoryName, directoryPath, "not the daemon's directory");
            throw Failed("write", $"cannot open {directoryPath}", error);
        }
        var owned = Examine(directory, directoryPath, "write");
        if (owned.Type != NoFollowFiles.Directory) throw new TamperedException(directoryPath, $"{directoryPath} is {Kind(owned, directoryPath)}, not a directory");
        RequireOwner(owned, directoryPath);
        if (owned.Permissions != DirectoryMode)
            throw new TamperedException(directoryPath, $"{directoryPath} has mode {Octal(owned.Permissions)}, not {Octal(DirectoryMode)}");

        Write(directory, directoryPath, content);
        ReadBack(directory, Path.Combine(directoryPath, FileName), content);
    }

    private static void Write(SafeFileHandle directory, string directoryPath, ReadOnlySpan<byte> content)
    {
        // A new file each time, renamed over the last one: allocation, data, fsync and a directory
        // update. On zfs-fuse, overwriting one existing file kept working for seconds after creates hung.
        var temporaryPath = Path.Combine(directoryPath, TemporaryFileName);
        using (var file = CreateTemporary(directory, temporaryPath))
        {
            RandomAccess.Write(file, content, 0);
            if (Sync(file) is not 0 and var error) throw Failed("write", $"fsync of {temporaryPath}", error);
        }

        var finalPath = Path.Combine(directoryPath, FileName);
        var (existing, statError) = StatEntry(directory, FileName);
        if (statError is 0) RequireOwnedFile(existing, finalPath);
        else if (statError is not ENOENT) throw Failed("write", $"cannot examine {finalPath}", statError);
        if (Rename(directory, TemporaryFileName, FileName) is not 0 and var renameError)
            throw Failed("write", $"cannot rename {temporaryPath} to {FileName}", renameError);
    }

    /// <summary>The temporary file, new; a regular file of ours left by an interrupted probe is removed first.</summary>
    private static SafeFileHandle CreateTemporary(SafeFileHandle directory, string temporaryPath)
    {
        for (var attempt = 0; ; attempt++)
        {
            var file = CreateExclusive(directory, TemporaryFileName, FileMode);
            if (!file.IsInvalid) return file;
            var error = LastError;
            file.Dispose();
            if (error is not EEXIST || attempt > 0) throw Failed("write", $"cannot create {temporaryPath}", error);
            var (leftover, statError) = StatEntry(directory, TemporaryFileName);
            if (statError is not 0) throw Failed("write", $"cannot examine {temporaryPath}", statError);
            RequireOwnedFile(leftover, temporaryPath);
            if (Unlink(directory, TemporaryFileName) is not 0 and var unlinkError) throw Failed("write", $"cannot remove {temporaryPath}", unlinkError);
        }
    }

    private static void ReadBack(SafeFileHandle directory, string path, ReadOnlySpan<byte> content)
    {
        using var file = OpenForReading(directory, FileName);
        if (file.IsInvalid)
        {
            var error = LastError;
            if (error is ELOOP) throw Tampered(directory, FileName, path, "a symbolic link");
            throw Failed("read", $"cannot open {path}", error);
        }
        RequireOwnedFile(Examine(file, path, "read"), path);

        var readBack = new byte[content.Length + 1];
        var length = 0;
        try
        {
            while (length < readBack.Length && RandomAccess.Read(file, readBack.AsSpan(length), length) is > 0 and var read) length += read;
        }
        catch (IOException ex)
        {
            throw new ProbeFailedException($"read failed: {ex.Message}");
        }
        if (!readBack.AsSpan(0, length).SequenceEqual(content))
            throw new ProbeFailedException($"read back {length} bytes that differ from the {content.Length} written");
    }

    private static NoFollowFiles.Status Examine(SafeFileHandle handle, string path, string step)
    {
        var (status, error) = Stat(handle);
        return error is 0 ? status : throw Failed(step, $"cannot examine {path}", error);
    }

    private static void RequireOwnedFile(NoFollowFiles.Status status, string path)
    {
        if (status.Type != RegularFile) throw new TamperedException(path, $"{path} is {Kind(status, path)}, not a regular file");
        RequireOwner(status, path);
    }

    private static void RequireOwner(NoFollowFiles.Status status, string path)
    {
        if (status.Uid != EffectiveUid) throw new TamperedException(path, $"{path} is owned by uid {status.Uid}, not {EffectiveUid}");
    }

    /// <summary>What is at <paramref name="name"/> (examined without following it), for a refused open.</summary>
    private static TamperedException Tampered(SafeFileHandle parent, string name, string path, string otherwise)
    {
        var (status, error) = StatEntry(parent, name);
        return new TamperedException(path, $"{path} is {(error is 0 ? Kind(status, path) : otherwise)}");
    }

    private static string Kind(NoFollowFiles.Status status, string path) => status.Type switch
    {
        SymbolicLink => LinkDescription(path),
        Fifo => "a FIFO",
        Socket => "a socket",
        NoFollowFiles.Directory => "a directory",
        RegularFile => "a regular file",
        _ => "a device node",
    };

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string LinkDescription(string path)
    {
        try
        {
            // Reads the link itself; the target is only named, never opened.
            return new FileInfo(path).LinkTarget is { } target ? $"a symbolic link to {target}" : "a symbolic link";
        }
        catch (IOException)
        {
            return "a symbolic link";
        }
    }

    private static string Octal(uint mode) => Convert.ToString(mode, 8).PadLeft(4, '0');

    private static ProbeFailedException Failed(string step, string what, int errno) => new($"{step} failed: {what}: {Describe(errno)}");

    private sealed class TamperedException(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }

    private sealed class ProbeFailedException(string message) : Exception(message);
}
