using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Host;

/// <summary>
/// <see cref="IZpool"/> limited to the pools this daemon looks after (<c>DPlaneOS:Zfs:Pools</c>): several
/// daemons can share one host's ZFS, as fleet tests and a box with a foreign pool do, and each reads,
/// watches and acts on its own pools only. Pools outside the list are invisible, as if not imported.
/// </summary>
public sealed class PoolScopedZpool(IZpool inner, IReadOnlyCollection<string> pools) : IZpool
{
    private readonly HashSet<string> _pools = new(pools, StringComparer.Ordinal);

    public Task<HostResult<ZfsDialect>> DialectAsync(CancellationToken cancellationToken = default) => inner.DialectAsync(cancellationToken);

    public async Task<HostResult<IReadOnlyList<PoolStatus>>> StatusAsync(CancellationToken cancellationToken = default) =>
        Keep(await inner.StatusAsync(cancellationToken).ConfigureAwait(false), s => _pools.Contains(s.Name));

    public async Task<HostResult<IReadOnlyList<ZpoolListEntry>>> ListAsync(CancellationToken cancellationToken = default) =>
        Keep(await inner.ListAsync(cancellationToken).ConfigureAwait(false), e => _pools.Contains(e.Name));

    /// <summary>Rows below a pool row (depth &gt; 0) belong to the pool above them.</summary>
    public async Task<HostResult<IReadOnlyList<IostatEntry>>> IostatAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.IostatAsync(cancellationToken).ConfigureAwait(false);
        if (!result.IsOk) return result;
        var kept = new List<IostatEntry>();
        var inScope = false;
        foreach (var row in result.Value)
        {
            if (row.Depth == 0) inScope = _pools.Contains(row.Name);
            if (inScope) kept.Add(row);
        }
        return HostResult<IReadOnlyList<IostatEntry>>.Ok(kept);
    }

    /// <summary>An event naming a pool (its <c>pool</c> field) is kept only for a listed pool; one naming none is kept.</summary>
    public async Task<HostResult<IReadOnlyList<ZpoolEvent>>> EventsAsync(CancellationToken cancellationToken = default) =>
        Keep(await inner.EventsAsync(cancellationToken).ConfigureAwait(false),
            e => !e.Fields.TryGetValue("pool", out var pool) || _pools.Contains(pool));

    private static HostResult<IReadOnlyList<T>> Keep<T>(HostResult<IReadOnlyList<T>> result, Func<T, bool> inScope) =>
        result.IsOk ? HostResult<IReadOnlyList<T>>.Ok(result.Value.Where(inScope).ToList()) : result;
}
