using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>
/// The diff engine: a pure function from (state.yaml, host snapshot) to a <see cref="Plan"/>.
/// Order: pools, then datasets (creates parents first, deletes children first), then shares.
/// Safety contract, enforced here and tested by property tests:
/// <list type="bullet">
/// <item>a pool destroy is always BLOCKED, without commands;</item>
/// <item>a dataset with used &gt; 0 (or unknown) is never DELETE: BLOCKED, approvable when known non-empty;</item>
/// <item>a share with SMB connections is never DELETE;</item>
/// <item>create-only properties (encryption, casesensitivity, vdev_type, ashift) that differ are BLOCKED "requires recreate";</item>
/// <item>anything a failed probe covers is BLOCKED "cannot verify";</item>
/// <item>undeclared live objects are unmanaged and left alone unless pruning is switched on for them.</item>
/// </list>
/// </summary>
public static class PlanBuilder
{
    public static Plan Build(DesiredState desired, LiveState live)
    {
        var unmanaged = new List<UnmanagedResource>();
        var items = new List<PlanItem>();
        items.AddRange(PoolPlanner.Plan(desired, live, unmanaged));
        items.AddRange(DatasetPlanner.Plan(desired, live, unmanaged));
        items.AddRange(SharePlanner.Plan(desired, live, unmanaged));
        var checkedItems = items.Select(i => ApplyProbeFailures(i, live.ProbeFailures)).ToList();
        BlockDatasetsOfBlockedPoolCreates(checkedItems, live);
        BlockParentsOfKeptChildren(checkedItems, live);
        return new Plan(Plan.ComputeId(desired, live), checkedItems, unmanaged);
    }

    /// <summary>
    /// A dataset of a pool that is still to be created can only appear once the pool does: while that
    /// pool's creation is BLOCKED, its datasets wait too (and say why) instead of showing as a
    /// low-risk CREATE that apply could not carry out.
    /// </summary>
    private static void BlockDatasetsOfBlockedPoolCreates(List<PlanItem> items, LiveState live)
    {
        var livePools = live.Pools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var blockedPools = items
            .Where(i => i.Kind == ResourceKind.Pool && i.Action == PlanAction.Blocked && !livePools.Contains(i.Name))
            .GroupBy(i => i.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        if (blockedPools.Count == 0) return;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Kind != ResourceKind.Dataset || item.Action != PlanAction.Create) continue;
            var pool = DatasetPlanner.PoolOf(item.Name);
            if (!blockedPools.TryGetValue(pool, out var blocker)) continue;
            items[i] = Block(item, $"waits for pool '{pool}', whose creation is blocked ({blocker.Reason}) (planned: {item.Action} — {item.Reason})");
        }
    }

    /// <summary>
    /// zfs destroy (without -r) fails on a dataset that still has children, so a destroy is only
    /// planned when every child goes too. Deletes are ordered children first, so one pass cascades.
    /// </summary>
    private static void BlockParentsOfKeptChildren(List<PlanItem> items, LiveState live)
    {
        if (!items.Any(i => i.Kind == ResourceKind.Dataset && (i.Action == PlanAction.Delete || i.RequiresApproval))) return;
        var byName = items.Where(i => i.Kind == ResourceKind.Dataset).GroupBy(i => i.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        // Sorted ordinally, the descendants of X ("X/…") are one contiguous run: binary search, not a scan per removal.
        var names = live.Datasets.Select(d => d.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Kind != ResourceKind.Dataset || !(item.Action == PlanAction.Delete || item.RequiresApproval)) continue;
            var prefix = item.Name + "/";
            var first = Array.BinarySearch(names, prefix, StringComparer.Ordinal);
            var kept = new List<string>();
            for (var j = first < 0 ? ~first : first; j < names.Length && names[j].StartsWith(prefix, StringComparison.Ordinal); j++)
            {
                if (!(byName.TryGetValue(names[j], out var child)
                      && (child.Action == PlanAction.Delete || (item.RequiresApproval && child.RequiresApproval))))
                    kept.Add(names[j]);
            }

            if (kept.Count == 0) continue;
            items[i] = byName[item.Name] = Block(item, $"'{item.Name}' cannot be destroyed while child datasets stay ({string.Join(", ", kept)}); resolve those first");
        }
    }

    /// <summary>Fail closed: an item whose live data (or safety check) is missing becomes BLOCKED.</summary>
    private static PlanItem ApplyProbeFailures(PlanItem item, IReadOnlyList<ProbeFailure> failures)
    {
        var isRemoval = item.Action == PlanAction.Delete || item.RequiresApproval;
        var failure = failures.FirstOrDefault(f => f.Covers(item.Kind, item.Name) && (f.Impact == ProbeImpact.Everything || isRemoval));
        if (failure is null) return item;
        return Block(item, $"cannot verify: {failure}; re-check once the probe works (planned: {item.Action} — {item.Reason})");
    }

    /// <summary>BLOCKED for a human: at least high risk, no commands, nothing to approve.</summary>
    private static PlanItem Block(PlanItem item, string reason) => item with
    {
        Action = PlanAction.Blocked,
        Risk = item.Risk > PlanRisk.High ? item.Risk : PlanRisk.High,
        Reason = reason,
        Commands = [],
        RequiresApproval = false,
    };

    internal static PlanItem Item(PlanAction action, ResourceKind kind, string name, PlanRisk risk, string reason,
        IReadOnlyList<IReadOnlyList<string>> commands, IReadOnlyList<PropertyChange> changes, bool requiresApproval = false) =>
        new(PlanItem.IdFor(kind, name), action, kind, name, risk, reason, commands, changes, requiresApproval);
}
