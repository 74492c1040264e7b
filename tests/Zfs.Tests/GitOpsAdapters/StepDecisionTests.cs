using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.Apply;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class StepDecisionTests
{
    private static PlanItem Item(PlanAction action, params IReadOnlyList<string>[] commands) =>
        new("dataset:tank/a", action, ResourceKind.Dataset, "tank/a", PlanRisk.Low, "r", commands, []);

    private static readonly IReadOnlyList<string> SetQuota = ["zfs", "set", "quota=1024", "tank/a"];
    private static readonly IReadOnlyList<string> SetAtime = ["zfs", "set", "atime=off", "tank/a"];
    private static readonly IReadOnlyList<string> Destroy = ["zfs", "destroy", "tank/a"];

    [Fact]
    public void Already_done_is_skipped_whatever_was_planned()
    {
        Assert.IsType<StepDecision.Skip>(StepDecision.Decide(Item(PlanAction.Create, ["zfs", "create", "-p", "tank/a"]), Item(PlanAction.Nop)));
        Assert.IsType<StepDecision.Skip>(StepDecision.Decide(Item(PlanAction.Delete, Destroy), null));
    }

    [Fact]
    public void A_half_done_modify_runs_only_what_is_left()
    {
        var run = Assert.IsType<StepDecision.Run>(StepDecision.Decide(Item(PlanAction.Modify, SetQuota, SetAtime), Item(PlanAction.Modify, SetAtime)));
        Assert.Equal([SetAtime], run.Commands);
    }

    [Fact]
    public void A_pool_root_planned_as_create_runs_as_modify_after_zpool_create()
    {
        var run = Assert.IsType<StepDecision.Run>(StepDecision.Decide(Item(PlanAction.Create, SetQuota), Item(PlanAction.Modify, SetQuota)));
        Assert.Equal([SetQuota], run.Commands);
    }

    [Fact]
    public void New_work_that_was_not_reviewed_is_a_conflict()
    {
        var conflict = Assert.IsType<StepDecision.Conflict>(StepDecision.Decide(Item(PlanAction.Modify, SetQuota), Item(PlanAction.Modify, SetAtime)));
        Assert.Contains("changed since the plan", conflict.Reason);
        Assert.IsType<StepDecision.Conflict>(StepDecision.Decide(Item(PlanAction.Create, SetQuota), Item(PlanAction.Blocked)));
    }

    [Fact]
    public void A_removal_runs_only_exactly_as_reviewed()
    {
        var approved = Item(PlanAction.Blocked, Destroy) with { RequiresApproval = true };
        Assert.IsType<StepDecision.Run>(StepDecision.Decide(approved, approved with { Reason = "now holds 2.0 MiB" }));
        // The data is still there but a child appeared: the fresh item is blocked without commands.
        Assert.IsType<StepDecision.Conflict>(StepDecision.Decide(approved, Item(PlanAction.Blocked)));
        // A delete that turned into a blocked one (someone wrote data) never runs.
        Assert.IsType<StepDecision.Conflict>(StepDecision.Decide(Item(PlanAction.Delete, Destroy), approved));
    }

    [Fact]
    public void A_vanished_create_is_a_conflict_not_a_skip()
    {
        Assert.IsType<StepDecision.Conflict>(StepDecision.Decide(Item(PlanAction.Create, SetQuota), null));
    }
}
