using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>Pool items. Pools are never destroyed or re-shaped by a plan: those are BLOCKED for a human.</summary>
internal static class PoolPlanner
{
    public static IEnumerable<PlanItem> Plan(DesiredState desired, LiveState live, List<UnmanagedResource> unmanaged)
    {
        var livePools = live.Pools.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var diskOwners = live.Pools
            .SelectMany(p => p.Disks.Select(d => (Disk: DiskIdNormalizer.Normalize(d), Pool: p.Name)))
            .GroupBy(x => x.Disk, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Pool, StringComparer.Ordinal);

        foreach (var pool in desired.Pools)
            yield return livePools.TryGetValue(pool.Name, out var livePool) ? Compare(pool, livePool) : Create(pool, diskOwners);

        var declared = desired.Pools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var pool in live.Pools.Where(p => !declared.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!desired.PrunePools)
            {
                unmanaged.Add(new UnmanagedResource(ResourceKind.Pool, pool.Name, "pool is not declared in state.yaml"));
                continue;
            }

            yield return PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Pool, pool.Name, PlanRisk.Critical,
                $"pool '{pool.Name}' is not in state.yaml, but pools are never destroyed automatically; " +
                $"check its data, then run 'zpool export {pool.Name}' or 'zpool destroy {pool.Name}' manually",
                [], []);
        }
    }

    private static PlanItem Create(DesiredPool pool, IReadOnlyDictionary<string, string> diskOwners)
    {
        var changes = new List<PropertyChange>
        {
            new("vdev_type", null, pool.VdevType.Name()),
            new("disks", null, string.Join(",", pool.Disks)),
        };
        if (pool.Ashift is { } a) changes.Add(new PropertyChange("ashift", null, a.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        changes.AddRange(pool.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PropertyChange(p.Key, null, p.Value)));

        var taken = pool.Disks.Where(d => diskOwners.ContainsKey(d)).Select(d => $"{d} (in pool '{diskOwners[d]}')").ToList();
        if (taken.Count > 0)
            return PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Pool, pool.Name, PlanRisk.Critical,
                $"cannot create pool '{pool.Name}': disks already belong to another pool: {string.Join(", ", taken)}", [], changes);

        var command = new List<string> { "zpool", "create" };
        if (pool.Ashift is { } ashift) command.AddRange(["-o", $"ashift={ashift}"]);
        foreach (var (key, value) in pool.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) command.AddRange(["-o", $"{key}={value}"]);
        command.AddRange(["--", pool.Name]);
        if (pool.VdevType != VdevType.Stripe) command.Add(pool.VdevType.Name());
        command.AddRange(pool.Disks);

        return PlanBuilder.Item(PlanAction.Create, ResourceKind.Pool, pool.Name, PlanRisk.Medium,
            $"pool '{pool.Name}' does not exist; zpool create writes new labels to {pool.Disks.Count} disk(s)", [command], changes);
    }

    private static PlanItem Compare(DesiredPool pool, LivePool live)
    {
        var changes = new List<PropertyChange>();
        var blockers = new List<string>();
        var risk = PlanRisk.Low;

        if (live.VdevType is { } liveType && liveType != pool.VdevType)
        {
            changes.Add(new PropertyChange("vdev_type", liveType.Name(), pool.VdevType.Name()));
            blockers.Add($"vdev_type {liveType.Name()} → {pool.VdevType.Name()} requires recreating the pool");
            risk = PlanRisk.Critical;
        }

        // Unknown live ashift (old zfs-fuse) is not compared: nothing can be done about it anyway.
        if (pool.Ashift is { } ashift && live.Ashift is { } liveAshift && liveAshift != ashift)
        {
            changes.Add(new PropertyChange("ashift", Invariant(liveAshift), Invariant(ashift)));
            blockers.Add($"ashift {liveAshift} → {ashift} requires recreating the pool");
            risk = PlanRisk.Critical;
        }

        var desiredDisks = pool.Disks.Select(DiskIdNormalizer.Normalize).ToHashSet(StringComparer.Ordinal);
        var liveDisks = live.Disks.Select(DiskIdNormalizer.Normalize).ToHashSet(StringComparer.Ordinal);
        var added = pool.Disks.Where(d => !liveDisks.Contains(d)).ToList();
        var removed = live.Disks.Select(DiskIdNormalizer.Normalize).Distinct().Where(d => !desiredDisks.Contains(d)).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0 || removed.Count > 0)
        {
            changes.AddRange(added.Select(d => new PropertyChange("disk", null, d)));
            changes.AddRange(removed.Select(d => new PropertyChange("disk", d, null)));
            var parts = new List<string>();
            if (added.Count > 0) parts.Add($"add {string.Join(", ", added)}");
            if (removed.Count > 0) parts.Add($"remove {string.Join(", ", removed)}");
            // zpool add would create a new non-redundant top-level vdev, and removal may be impossible:
            // both need a human to choose between add, attach, replace and detach.
            blockers.Add($"topology change requires review ({string.Join("; ", parts)}); use zpool attach/add/replace/detach manually");
            risk = Max(risk, removed.Count > 0 ? PlanRisk.Critical : PlanRisk.High);
        }

        var commands = new List<IReadOnlyList<string>>();
        foreach (var (key, value) in pool.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var liveValue = live.Properties.TryGetValue(key, out var v) ? v : null;
            if (liveValue == value) continue;
            changes.Add(new PropertyChange(key, liveValue, value));
            // zpool set parses no options (OpenZFS and zfs-fuse): a '--' would be read as the pool name.
            commands.Add(["zpool", "set", $"{key}={value}", pool.Name]);
        }

        if (blockers.Count > 0)
            return PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Pool, pool.Name, risk, string.Join("; ", blockers), [], changes);
        return commands.Count > 0
            ? PlanBuilder.Item(PlanAction.Modify, ResourceKind.Pool, pool.Name, PlanRisk.Low, $"{commands.Count} pool propert{(commands.Count == 1 ? "y differs" : "ies differ")}", commands, changes)
            : PlanBuilder.Item(PlanAction.Nop, ResourceKind.Pool, pool.Name, PlanRisk.Low, "in sync", [], []);
    }

    private static PlanRisk Max(PlanRisk a, PlanRisk b) => a > b ? a : b;

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
