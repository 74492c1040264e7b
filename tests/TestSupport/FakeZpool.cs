using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.TestSupport;

/// <summary>An <see cref="IZpool"/> that answers with canned zpool text through the real parsers.</summary>
public sealed class FakeZpool : IZpool
{
    public volatile string StatusText = ZfsFuseSamples.MirrorStatus;
    public volatile string ListText = ZfsFuseSamples.MirrorList;
    public ZfsDialect Dialect { get; init; } = ZfsDialect.ZfsFuse;
    private int _statusCalls;

    public int StatusCalls => Volatile.Read(ref _statusCalls);

    /// <summary>While set, status reads wait on it: a hung zpool.</summary>
    public volatile TaskCompletionSource? StatusGate;

    /// <summary>When set, the next status read throws it (a bug in a lower layer).</summary>
    public volatile Exception? ThrowOnce;

    /// <summary>
    /// While set, a status read blocks its caller's thread on it before any task is returned: the real
    /// runner starts zpool synchronously, so a start that hangs (exec from a hung filesystem) wedges
    /// the calling actor, which then answers nothing.
    /// </summary>
    public volatile ManualResetEventSlim? StatusBlock;

    /// <summary>Completed when a status read starts to block on <see cref="StatusBlock"/>.</summary>
    public TaskCompletionSource StatusBlocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<HostResult<ZfsDialect>> DialectAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(HostResult<ZfsDialect>.Ok(Dialect));

    public async Task<HostResult<IReadOnlyList<PoolStatus>>> StatusAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _statusCalls);
        if (StatusBlock is { } block)
        {
            StatusBlocked.TrySetResult();
            block.Wait();
        }
        if (Interlocked.Exchange(ref ThrowOnce, null) is { } exception) throw exception;
        if (StatusGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return From(ZpoolStatusParser.Parse(StatusText));
    }

    public Task<HostResult<IReadOnlyList<ZpoolListEntry>>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(From(ZpoolListParser.Parse(ListText, ["name", "size", "allocated", "free", "capacity", "health"])));

    public Task<HostResult<IReadOnlyList<IostatEntry>>> IostatAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(HostResult<IReadOnlyList<IostatEntry>>.Ok([]));

    public Task<HostResult<IReadOnlyList<ZpoolEvent>>> EventsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Dialect == ZfsDialect.ZfsFuse
            ? HostResult<IReadOnlyList<ZpoolEvent>>.Fail(new CommandError(CommandErrorKind.NotSupported, "zpool events", "zpool events is not supported by this ZFS (zfs-fuse)"))
            : HostResult<IReadOnlyList<ZpoolEvent>>.Ok([]));

    private static HostResult<T> From<T>(ParseResult<T> parsed) =>
        parsed.IsOk ? HostResult<T>.Ok(parsed.Value) : new CommandError(CommandErrorKind.Unparseable, "fake", parsed.Error.ToString());
}
