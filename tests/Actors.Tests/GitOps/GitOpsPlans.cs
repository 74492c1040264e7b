using DPlaneOS.Actors.GitOps;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;

namespace DPlaneOS.Actors.Tests.GitOps;

/// <summary>Hand-made plans and outcomes for the GitOps state's decisions (no host, no planner).</summary>
internal static class GitOpsPlans
{
    public static readonly DesiredState Desired = new(1, [], [], []);

    public static readonly GitOpsSettings Settings = new("/var/lib/dplaneos/state.yaml", "/etc/samba/dplaneos-shares.conf", TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

    public static PlanItem Create(string name) =>
        new(PlanItem.IdFor(ResourceKind.Dataset, name), PlanAction.Create, ResourceKind.Dataset, name, PlanRisk.Low, "declared, missing", [["zfs", "create", "-p", name]], []);

    /// <summary>A BLOCKED removal of a dataset that holds data: approval lets apply run it.</summary>
    public static PlanItem Removal(string name) =>
        new(PlanItem.IdFor(ResourceKind.Dataset, name), PlanAction.Blocked, ResourceKind.Dataset, name, PlanRisk.Critical, "holds data", [["zfs", "destroy", name]], [], RequiresApproval: true);

    /// <summary>A BLOCKED item no approval can unblock (an undeclared pool).</summary>
    public static PlanItem Reminder(string pool) =>
        new(PlanItem.IdFor(ResourceKind.Pool, pool), PlanAction.Blocked, ResourceKind.Pool, pool, PlanRisk.Critical, "pools are never destroyed by apply", [], []);

    public static PlanItem Nop(string name) =>
        new(PlanItem.IdFor(ResourceKind.Dataset, name), PlanAction.Nop, ResourceKind.Dataset, name, PlanRisk.Low, "in sync", [], []);

    public static Plan Plan(string id, params PlanItem[] items) => new(id, items, []);

    public static PlanOutcome.Planned Planned(Plan plan, DateTimeOffset at) => new(Desired, LiveState.Empty, plan, at);

    public static PlanOutcome.NotUsable Missing(DateTimeOffset at) =>
        new(new StateNotUsable(Settings.StatePath, "missing", "state.yaml does not exist", []), at);

    public static PlanOutcome.NotUsable Invalid(DateTimeOffset at) =>
        new(new StateNotUsable(Settings.StatePath, "invalid", "state.yaml is not valid (1 error(s))", [new StateError(3, 11, "datasets[0].name", "no such pool")]), at);
}
