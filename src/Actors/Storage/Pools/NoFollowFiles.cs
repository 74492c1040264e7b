using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>
/// The libc calls the heartbeat probe needs to work relative to a directory handle without ever following
/// a link (.NET's path APIs follow links in every component). Linux only; fds are <see cref="SafeFileHandle"/>s.
/// </summary>
internal static partial class NoFollowFiles
{
    public const int ENOENT = 2;
    public const int ENOTDIR = 20;
    public const int EEXIST = 17;
    public const int ELOOP = 40;

    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7ff;

    private const int O_RDONLY = 0;
    private const int O_WRONLY = 1;
    private const int O_CREAT = 0x40;
    private const int O_EXCL = 0x80;
    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;

    // The two flags whose values differ between architectures (asm-generic vs. arm and powerpc).
    private static readonly bool ArmLayout = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le;
    private static readonly int O_DIRECTORY = ArmLayout ? 0x4000 : 0x10000;
    private static readonly int O_NOFOLLOW = ArmLayout ? 0x8000 : 0x20000;

    /// <summary>Opening a directory: never a link, never anything but a directory (so a FIFO cannot block).</summary>
    private static int DirectoryFlags => O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

    public const uint FileTypeMask = 0xf000;
    public const uint Directory = 0x4000;
    public const uint RegularFile = 0x8000;
    public const uint SymbolicLink = 0xa000;
    public const uint Fifo = 0x1000;
    public const uint Socket = 0xc000;

    /// <summary>The effective uid: what every directory and file of the probe must be owned by.</summary>
    public static uint EffectiveUid => geteuid();

    /// <summary>Opens <paramref name="path"/> (absolute, or relative to the working directory) as a directory; a link in the last component is refused.</summary>
    public static SafeFileHandle OpenDirectory(string path) => open(path, DirectoryFlags, 0);

    /// <summary>Opens <paramref name="name"/> inside <paramref name="parent"/> as a directory; a link is refused.</summary>
    public static SafeFileHandle OpenDirectory(SafeFileHandle parent, string name) => openat(parent, name, DirectoryFlags, 0);

    /// <summary>Creates <paramref name="name"/> inside <paramref name="parent"/>: it must not exist, not even as a dangling link.</summary>
    public static SafeFileHandle CreateExclusive(SafeFileHandle parent, string name, uint mode) =>
        openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

    /// <summary>Opens an existing file for reading: not through a link, and without blocking on a FIFO.</summary>
    public static SafeFileHandle OpenForReading(SafeFileHandle parent, string name) =>
        openat(parent, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);

    /// <summary>0 or an errno.</summary>
    public static int MakeDirectory(SafeFileHandle parent, string name, uint mode) => mkdirat(parent, name, mode) == 0 ? 0 : LastError;

    public static int Rename(SafeFileHandle directory, string from, string to) => renameat(directory, from, directory, to) == 0 ? 0 : LastError;

    /// <summary>Removes a non-directory entry; a link is removed, never what it points to.</summary>
    public static int Unlink(SafeFileHandle directory, string name) => unlinkat(directory, name, 0) == 0 ? 0 : LastError;

    public static int Sync(SafeFileHandle file) => fsync(file) == 0 ? 0 : LastError;

    /// <summary>What the open handle is (fstat).</summary>
    public static (Status Status, int Error) Stat(SafeFileHandle handle) =>
        statx(handle, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out var buffer) == 0 ? (new Status(buffer), 0) : (default, LastError);

    /// <summary>What the entry <paramref name="name"/> inside <paramref name="directory"/> is, a link itself rather than its target (lstat).</summary>
    public static (Status Status, int Error) StatEntry(SafeFileHandle directory, string name) =>
        statx(directory, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var buffer) == 0 ? (new Status(buffer), 0) : (default, LastError);

    /// <summary>The errno of the last failed call on this thread (valid right after one).</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    public readonly record struct Status(uint Mode, uint Uid)
    {
        internal Status(StatxBuffer buffer) : this(buffer.Mode, buffer.Uid)
        {
        }

        public uint Type => Mode & FileTypeMask;

        /// <summary>Permission bits with setuid/setgid/sticky.</summary>
        public uint Permissions => Mode & 0xfff;
    }

    /// <summary><c>struct statx</c>: the same layout on every Linux architecture (unlike <c>struct stat</c>).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
    }

    private const string Libc = "libc";

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle open(string path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle openat(SafeFileHandle directory, string path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdirat(SafeFileHandle directory, string path, uint mode);

    [LibraryImport(Libc, EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat(SafeFileHandle fromDirectory, string from, SafeFileHandle toDirectory, string to);

    [LibraryImport(Libc, EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlinkat(SafeFileHandle directory, string path, int flags);

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(SafeFileHandle directory, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(SafeFileHandle file);

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
