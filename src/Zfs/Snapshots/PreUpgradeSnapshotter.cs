using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Snapshots;

/// <summary>
/// Takes one recursive <c>@pre-upgrade-&lt;UTC time&gt;</c> snapshot of every imported pool (or of the
/// configured ones), then removes the oldest pre-upgrade snapshots beyond the newest
/// <c>keep</c> per pool. Retention runs only in a pool whose new snapshot was taken, so a failed
/// run never leaves a pool with fewer snapshots than before. Runs without Akka or a web host:
/// the <c>dplaned snapshot pre-upgrade</c> verb calls it from NixOS activation and the OTA script.
/// </summary>
public sealed class PreUpgradeSnapshotter(IZpool zpool, IZfs zfs, TimeProvider time)
{
    private static readonly string[] ListedProperties = ["creation", "used"];

    /// <param name="keep">How many pre-upgrade snapshots to keep per pool, the new one included (at least 1).</param>
    /// <param name="pools">Only these pools; empty means every imported pool.</param>
    public async Task<PreUpgradeRun> RunAsync(int keep, IReadOnlyCollection<string> pools, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        foreach (var pool in pools) NameRules.RequirePool(pool);
        var name = PreUpgradeSnapshots.NameAt(time.GetUtcNow());

        var imported = await zpool.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!imported.IsOk) return new PreUpgradeRun(name, [], $"cannot list the imported pools: {imported.Error}");
        var importedNames = imported.Value.Select(p => p.Name).ToList();
        var chosen = pools.Count == 0 ? importedNames : pools.ToList();

        var outcomes = new List<PreUpgradePoolOutcome>();
        foreach (var pool in chosen)
        {
            outcomes.Add(importedNames.Contains(pool)
                ? await SnapshotPoolAsync(pool, name, keep, cancellationToken).ConfigureAwait(false)
                : new PreUpgradePoolOutcome(pool, false, 0, [], $"pool '{pool}' is configured for pre-upgrade snapshots but not imported", []));
        }
        return new PreUpgradeRun(name, outcomes, null);
    }

    private async Task<PreUpgradePoolOutcome> SnapshotPoolAsync(string pool, string name, int keep, CancellationToken cancellationToken)
    {
        var snapshotError = await zfs.SnapshotAsync(pool, name, recursive: true, cancellationToken).ConfigureAwait(false);
        if (snapshotError is not null)
            return new PreUpgradePoolOutcome(pool, false, 0, [], $"zfs snapshot -r {pool}@{name} failed: {snapshotError.Message}", []);

        var listed = await zfs.GetAsync(ListedProperties, pool, cancellationToken).ConfigureAwait(false);
        if (!listed.IsOk)
            return new PreUpgradePoolOutcome(pool, true, 0, [], null, [$"cannot list the snapshots of {pool}, none removed: {listed.Error.Message}"]);
        var snapshots = listed.Value.Where(d => d.IsSnapshot).Select(d => d.Name).ToList();
        var datasets = snapshots.Count(s => s.EndsWith("@" + name, StringComparison.Ordinal));

        var removed = new List<SnapshotTarget>();
        var retentionErrors = new List<string>();
        foreach (var target in PreUpgradeSnapshots.RemovalTargets(snapshots, keep))
        {
            var error = await zfs.DestroySnapshotAsync(target.Dataset, target.Snapshot, recursive: true, cancellationToken).ConfigureAwait(false);
            if (error is null) removed.Add(target);
            else retentionErrors.Add($"zfs destroy -r {target} failed: {error.Message}");
        }
        return new PreUpgradePoolOutcome(pool, true, datasets, removed, null, retentionErrors);
    }

    /// <summary>Every pre-upgrade snapshot on the system, from one <c>zfs get -Hp creation,used</c> (works on both dialects).</summary>
    public async Task<HostResult<IReadOnlyList<PreUpgradeSnapshot>>> ListAsync(CancellationToken cancellationToken = default)
    {
        var listed = await zfs.GetAsync(ListedProperties, null, cancellationToken).ConfigureAwait(false);
        return listed.IsOk ? HostResult<IReadOnlyList<PreUpgradeSnapshot>>.Ok(PreUpgradeSnapshots.Summarize(listed.Value)) : listed.Error;
    }
}
