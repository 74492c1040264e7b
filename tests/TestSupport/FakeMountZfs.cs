using System.Collections.Concurrent;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.TestSupport;

/// <summary>A mount-lookup <see cref="IZfs"/> for heartbeat tests that answers <c>zfs get -Hp</c> with canned text through the real parser.</summary>
public sealed class FakeMountZfs : IZfs
{
    private readonly ConcurrentDictionary<string, string> _getText = new(StringComparer.Ordinal);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    private readonly ConcurrentDictionary<string, Exception> _throwNext = new(StringComparer.Ordinal);

    /// <summary>The next lookup of <paramref name="pool"/> throws <paramref name="exception"/> (a bug in a lower layer).</summary>
    public void ThrowNext(string pool, Exception exception) => _throwNext[pool] = exception;

    public bool ThrowPending(string pool) => _throwNext.ContainsKey(pool);

    /// <summary>The pool's root is mounted at <paramref name="mountpoint"/>; each child dataset at the given path.</summary>
    public void Mounted(string pool, string mountpoint, params (string Dataset, string Mountpoint)[] children) =>
        _getText[pool] = Rows(pool, "yes", mountpoint) + string.Concat(children.Select(c => Rows(c.Dataset, "yes", c.Mountpoint)));

    public void Unmounted(string pool, string mountpoint) => _getText[pool] = Rows(pool, "no", mountpoint);

    /// <summary>zfs get fails for this pool, as zfs-fuse does for a suspended one.</summary>
    public void Failing(string pool) => _getText.TryRemove(pool, out _);

    public Task<HostResult<IReadOnlyList<ZfsDatasetProperties>>> GetAsync(
        IReadOnlyList<string> properties, string? recursiveRoot = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (recursiveRoot is not null && _throwNext.TryRemove(recursiveRoot, out var exception)) throw exception;
        if (recursiveRoot is null || !_getText.TryGetValue(recursiveRoot, out var text))
            return Task.FromResult(HostResult<IReadOnlyList<ZfsDatasetProperties>>.Fail(
                new CommandError(CommandErrorKind.Failed, "zfs get", $"cannot open '{recursiveRoot}': pool I/O is currently suspended", 1)));
        var parsed = ZfsGetParser.Parse(text);
        return Task.FromResult(parsed.IsOk
            ? HostResult<IReadOnlyList<ZfsDatasetProperties>>.Ok(ZfsDatasetProperties.Group(parsed.Value))
            : HostResult<IReadOnlyList<ZfsDatasetProperties>>.Fail(new CommandError(CommandErrorKind.Unparseable, "fake", parsed.Error.ToString())));
    }

    private static string Rows(string dataset, string mounted, string mountpoint) =>
        $"{dataset}\ttype\tfilesystem\t-\n{dataset}\tmounted\t{mounted}\t-\n{dataset}\tmountpoint\t{mountpoint}\tlocal\n";

    // The heartbeat only reads mounts; a change through this fake is a test bug, reported as a failed command.
    public Task<HostResult<ZfsDatasetProperties?>> GetDatasetAsync(string dataset, IReadOnlyList<string> properties, CancellationToken cancellationToken = default) =>
        Task.FromResult(HostResult<ZfsDatasetProperties?>.Fail(Unsupported("get")));

    public Task<CommandError?> CreateAsync(string dataset, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default) =>
        Task.FromResult<CommandError?>(Unsupported("create"));

    public Task<CommandError?> SetAsync(string dataset, string property, string value, CancellationToken cancellationToken = default) =>
        Task.FromResult<CommandError?>(Unsupported("set"));

    public Task<CommandError?> SnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        Task.FromResult<CommandError?>(Unsupported("snapshot"));

    public Task<CommandError?> DestroySnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        Task.FromResult<CommandError?>(Unsupported("destroy"));

    private static CommandError Unsupported(string verb) =>
        new(CommandErrorKind.NotSupported, $"zfs {verb}", "FakeMountZfs answers mount lookups only");
}
