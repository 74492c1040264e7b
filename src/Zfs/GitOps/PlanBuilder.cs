namespace DPlaneOS.Zfs.GitOps;

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
        return new Plan(Plan.ComputeId(desired, live), checkedItems, unmanaged);
    }

    /// <summary>Fail closed: an item whose live data (or safety check) is missing becomes BLOCKED.</summary>
    private static PlanItem ApplyProbeFailures(PlanItem item, IReadOnlyList<ProbeFailure> failures)
    {
        var isRemoval = item.Action == PlanAction.Delete || item.RequiresApproval;
        var failure = failures.FirstOrDefault(f => f.Covers(item.Kind, item.Name) && (f.Impact == ProbeImpact.Everything || isRemoval));
        if (failure is null) return item;
        return item with
        {
            Action = PlanAction.Blocked,
            Risk = item.Risk > PlanRisk.High ? item.Risk : PlanRisk.High,
            Reason = $"cannot verify: {failure}; re-check once the probe works (planned: {item.Action} — {item.Reason})",
            Commands = [],
            RequiresApproval = false,
        };
    }

    internal static PlanItem Item(PlanAction action, ResourceKind kind, string name, PlanRisk risk, string reason,
        IReadOnlyList<IReadOnlyList<string>> commands, IReadOnlyList<PropertyChange> changes, bool requiresApproval = false) =>
        new(PlanItem.IdFor(kind, name), action, kind, name, risk, reason, commands, changes, requiresApproval);
}
