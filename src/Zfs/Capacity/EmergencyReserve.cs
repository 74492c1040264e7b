using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Capacity;

/// <summary>
/// The emergency reserve: a dataset <c>&lt;pool&gt;/dplane-reserved</c> that holds a
/// <c>refreservation</c>, so space can be handed back to a full pool at once (set it to none)
/// without deleting anything. It is created with <c>canmount=off</c>: nobody can write into it and
/// use up the very space it keeps. Releasing keeps the dataset, so re-arming is one <c>zfs set</c>.
/// </summary>
public sealed class EmergencyReserve(IZpool zpool, IZfs zfs)
{
    public const string DatasetName = "dplane-reserved";

    private static readonly string[] RefReservation = ["refreservation"];
    private static readonly string[] UsedAndAvailable = ["used", "available"];

    public static string DatasetOf(string pool) => $"{pool}/{DatasetName}";

    /// <summary>
    /// The reserve's size: <paramref name="percent"/> of the pool's usable space (used + available of
    /// its root dataset, exact bytes on every ZFS), rounded down. Not the raw <c>zpool list</c> size,
    /// which counts parity and the pool's own slop.
    /// </summary>
    public static long SizeBytes(long usableBytes, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usableBytes);
        if (percent is <= 0 or > 100 || double.IsNaN(percent)) throw new ArgumentOutOfRangeException(nameof(percent), percent, "a percentage in (0, 100]");
        return (long)Math.Floor((decimal)usableBytes * (decimal)percent / 100m);
    }

    /// <summary>Each pool's reserve, read in parallel; a failed read is <see cref="ReserveState.Unknown"/> with the error.</summary>
    public async Task<IReadOnlyDictionary<string, ReserveStatus>> ReadAsync(IEnumerable<string> pools, CancellationToken cancellationToken)
    {
        var reads = pools.Distinct().Select(async pool => (pool, status: await ReadAsync(pool, cancellationToken).ConfigureAwait(false)));
        return (await Task.WhenAll(reads).ConfigureAwait(false)).ToDictionary(r => r.pool, r => r.status);
    }

    public async Task<ReserveStatus> ReadAsync(string pool, CancellationToken cancellationToken)
    {
        if (NameRules.PoolNameError(pool) is { } error) return ReserveStatus.Unknown(pool, error);
        var dataset = await zfs.GetDatasetAsync(DatasetOf(pool), RefReservation, cancellationToken).ConfigureAwait(false);
        return dataset.IsOk ? ReserveStatus.From(pool, dataset.Value) : ReserveStatus.Unknown(pool, dataset.Error.ToString());
    }

    /// <summary>Creates the reserve (or re-arms a released one) with <paramref name="percent"/> of the pool's usable space.</summary>
    public async Task<ReserveOutcome> ReserveAsync(string pool, double percent, CancellationToken cancellationToken)
    {
        var (refused, current) = await CurrentAsync(pool, cancellationToken).ConfigureAwait(false);
        if (refused is not null) return refused;
        switch (current.State)
        {
            case ReserveState.Reserved:
                return new ReserveOutcome(ReserveOutcomeKind.AlreadyReserved, pool, current.Dataset, current.Bytes,
                    $"pool '{pool}' already has an emergency reserve of {current.Bytes} bytes");
        }

        var root = await zfs.GetDatasetAsync(pool, UsedAndAvailable, cancellationToken).ConfigureAwait(false);
        if (!root.IsOk) return ReserveOutcome.Failed(pool, root.Error.ToString());
        if (root.Value?.Bytes("used") is not { } used || root.Value.Bytes("available") is not { } available)
            return ReserveOutcome.Failed(pool, $"zfs get printed no used/available for '{pool}'");
        var usable = used + available;
        var bytes = SizeBytes(usable, percent);
        if (bytes <= 0) return ReserveOutcome.Failed(pool, $"{percent}% of {usable} usable bytes is no reserve");

        var value = bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var error = current.State == ReserveState.None
            ? await zfs.CreateAsync(current.Dataset, new Dictionary<string, string> { ["canmount"] = "off", ["refreservation"] = value }, cancellationToken).ConfigureAwait(false)
            : await zfs.SetAsync(current.Dataset, "refreservation", value, cancellationToken).ConfigureAwait(false);
        if (error is not null) return ReserveOutcome.FromCommandError(pool, error);

        var after = await ReadAsync(pool, cancellationToken).ConfigureAwait(false);
        return after.State == ReserveState.Reserved
            ? new ReserveOutcome(ReserveOutcomeKind.Done, pool, after.Dataset, after.Bytes, $"reserved {after.Bytes} bytes ({percent}% of {usable} usable bytes)", usable)
            : ReserveOutcome.Failed(pool, $"after setting refreservation={value} the reserve reads as {after.State} {after.Error}");
    }

    /// <summary>Sets the reserve's <c>refreservation</c> to none, keeping the dataset; reports the bytes given back.</summary>
    public async Task<ReserveOutcome> ReleaseAsync(string pool, CancellationToken cancellationToken)
    {
        var (refused, current) = await CurrentAsync(pool, cancellationToken).ConfigureAwait(false);
        if (refused is not null) return refused;
        switch (current.State)
        {
            case ReserveState.None:
                return new ReserveOutcome(ReserveOutcomeKind.NotReserved, pool, current.Dataset, null, $"pool '{pool}' has no emergency reserve ({current.Dataset} does not exist)");
            case ReserveState.Released:
                return new ReserveOutcome(ReserveOutcomeKind.NotReserved, pool, current.Dataset, 0, $"the emergency reserve of pool '{pool}' is already released");
        }
        var error = await zfs.SetAsync(current.Dataset, "refreservation", "none", cancellationToken).ConfigureAwait(false);
        if (error is not null) return ReserveOutcome.FromCommandError(pool, error);
        return new ReserveOutcome(ReserveOutcomeKind.Done, pool, current.Dataset, current.Bytes, $"released {current.Bytes} bytes");
    }

    /// <summary>The reserve of an existing pool, or why there is none to work on (bad name, no such pool, unreadable).</summary>
    private async Task<(ReserveOutcome? Refused, ReserveStatus Current)> CurrentAsync(string pool, CancellationToken cancellationToken)
    {
        var unknown = ReserveStatus.Unknown(pool);
        if (NameRules.PoolNameError(pool) is { } invalid)
            return (new ReserveOutcome(ReserveOutcomeKind.InvalidName, pool, null, null, invalid), unknown);
        var pools = await zpool.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!pools.IsOk) return (ReserveOutcome.Failed(pool, pools.Error.ToString()), unknown);
        if (pools.Value.All(p => p.Name != pool))
            return (new ReserveOutcome(ReserveOutcomeKind.PoolNotFound, pool, null, null, $"no pool named '{pool}' is imported"), unknown);
        var current = await ReadAsync(pool, cancellationToken).ConfigureAwait(false);
        return current.State == ReserveState.Unknown
            ? (ReserveOutcome.Failed(pool, current.Error ?? "cannot read the reserve"), current)
            : (null, current);
    }
}
