using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// A plan as the API shows it: items, what is left alone and why, and failed probes.
/// <see cref="ApprovedItemIds"/>: BLOCKED removals already approved for this plan's work.
/// </summary>
public sealed record PlanView(
    string PlanId,
    DateTimeOffset ComputedAt,
    PlanSummary Summary,
    IReadOnlyList<PlanItem> Items,
    IReadOnlyList<string> ApprovedItemIds,
    IReadOnlyList<UnmanagedResource> Unmanaged,
    IReadOnlyList<ProbeFailure> ProbeFailures)
{
    public static PlanView Of(Plan plan, LiveState live, IReadOnlySet<string> approved, DateTimeOffset at) =>
        new(plan.Id, at, plan.Summary, plan.Items, plan.Items.Where(i => i.RequiresApproval && approved.Contains(i.Id)).Select(i => i.Id).ToList(),
            plan.Unmanaged, live.ProbeFailures);
}

/// <summary>A non-NOP item found by a drift check.</summary>
public sealed record DriftItem(string Id, PlanAction Action, PlanRisk Risk, string Reason);

/// <summary>
/// The outcome of one drift check. <see cref="Configured"/> is false while state.yaml does not
/// exist (a fresh install is not drift); <see cref="Error"/> says why a check could not compare.
/// </summary>
public sealed record CheckResult(
    DateTimeOffset CheckedAt,
    string StatePath,
    bool Configured,
    string? PlanId,
    PlanSummary? Summary,
    IReadOnlyList<DriftItem> Drift,
    string? Error,
    IReadOnlyList<StateError> Errors,
    IReadOnlyList<ProbeFailure> ProbeFailures)
{
    public bool Drifted => Drift.Count > 0;
}

/// <summary>GET /api/gitops/status: where the files are, the last drift check, the last or current apply, live approvals.</summary>
public sealed record StatusView(
    string StatePath,
    string SambaInclude,
    CheckResult? LastCheck,
    ApplyRecord? Apply,
    IReadOnlyList<GitOpsJournal.ItemsApproved> Approvals);
