using System.Collections.Concurrent;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.TestSupport;

/// <summary>The real <see cref="IZfs"/>, except that the next query of a chosen pool throws: a bug in a lower layer.</summary>
public sealed class CrashingZfs(IZfs real) : IZfs
{
    private readonly ConcurrentDictionary<string, Exception> _throwNext = new(StringComparer.Ordinal);

    public void ThrowNext(string pool, Exception exception) => _throwNext[pool] = exception;

    public bool ThrowPending(string pool) => _throwNext.ContainsKey(pool);

    public Task<HostResult<IReadOnlyList<ZfsDatasetProperties>>> GetAsync(
        IReadOnlyList<string> properties, string? recursiveRoot = null, CancellationToken cancellationToken = default) =>
        recursiveRoot is not null && _throwNext.TryRemove(recursiveRoot, out var exception)
            ? throw exception
            : real.GetAsync(properties, recursiveRoot, cancellationToken);

    public Task<HostResult<ZfsDatasetProperties?>> GetDatasetAsync(string dataset, IReadOnlyList<string> properties, CancellationToken cancellationToken = default) =>
        real.GetDatasetAsync(dataset, properties, cancellationToken);

    public Task<CommandError?> CreateAsync(string dataset, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default) =>
        real.CreateAsync(dataset, properties, cancellationToken);

    public Task<CommandError?> SetAsync(string dataset, string property, string value, CancellationToken cancellationToken = default) =>
        real.SetAsync(dataset, property, value, cancellationToken);

    public Task<CommandError?> SnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        real.SnapshotAsync(dataset, snapshot, recursive, cancellationToken);

    public Task<CommandError?> DestroySnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        real.DestroySnapshotAsync(dataset, snapshot, recursive, cancellationToken);
}
