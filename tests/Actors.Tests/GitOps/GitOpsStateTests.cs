using DPlaneOS.Actors.GitOps;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.Apply;
using static DPlaneOS.Actors.GitOps.GitOpsJournal;

namespace DPlaneOS.Actors.Tests.GitOps;

public sealed class GitOpsStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static PlannedStep Step(string id) => new(id, PlanAction.Create, ResourceKind.Dataset, id["dataset:".Length..], [["zfs", "create", "-p", id]], false);

    private static GitOpsState Fold(params Persistence.IPersistedEvent[] records) => records.Aggregate(GitOpsState.Empty, (s, r) => s.Apply(r));

    [Fact]
    public void Steps_move_from_pending_through_running_to_their_outcome()
    {
        var state = Fold(
            new ApplyStarted("a1", "p1", [Step("dataset:t/a"), Step("dataset:t/b"), Step("dataset:t/c")], T0),
            new StepStarted("a1", "dataset:t/a", T0),
            new StepFinished("a1", "dataset:t/a", StepStatus.Done, "ok", ["zfs create -p t/a"], T0),
            new StepStarted("a1", "dataset:t/b", T0),
            new StepFinished("a1", "dataset:t/b", StepStatus.Skipped, "already there", [], T0),
            new StepStarted("a1", "dataset:t/c", T0));

        Assert.NotNull(state.Running);
        Assert.Null(state.NextStep);
        Assert.Equal([ApplyStepStatus.Done, ApplyStepStatus.Skipped, ApplyStepStatus.Running], state.LastApply!.Steps.Select(s => s.Status));
        Assert.Equal(["zfs create -p t/a"], state.LastApply.Steps[0].CommandsRun);
    }

    [Fact]
    public void An_interruption_marks_the_started_step_in_doubt_and_the_rest_not_run()
    {
        var state = Fold(
            new ApplyStarted("a1", "p1", [Step("dataset:t/a"), Step("dataset:t/b"), Step("dataset:t/c")], T0),
            new StepStarted("a1", "dataset:t/a", T0),
            new StepFinished("a1", "dataset:t/a", StepStatus.Done, "ok", [], T0),
            new StepStarted("a1", "dataset:t/b", T0),
            new ApplyInterrupted("a1", "dataset:t/b", T0.AddMinutes(1)));

        Assert.Null(state.Running);
        Assert.Equal(ApplyStatus.Interrupted, state.LastApply!.Status);
        Assert.Equal([ApplyStepStatus.Done, ApplyStepStatus.InDoubt, ApplyStepStatus.NotRun], state.LastApply.Steps.Select(s => s.Status));
        Assert.Contains("dataset:t/b", state.LastApply.Error);
    }

    [Fact]
    public void A_failed_apply_leaves_later_steps_not_run()
    {
        var state = Fold(
            new ApplyStarted("a1", "p1", [Step("dataset:t/a"), Step("dataset:t/b")], T0),
            new StepStarted("a1", "dataset:t/a", T0),
            new StepFinished("a1", "dataset:t/a", StepStatus.Failed, "boom", [], T0),
            new ApplyFinished("a1", false, "step dataset:t/a failed: boom", T0));
        Assert.Equal(ApplyStatus.Failed, state.LastApply!.Status);
        Assert.Equal([ApplyStepStatus.Failed, ApplyStepStatus.NotRun], state.LastApply.Steps.Select(s => s.Status));
    }

    [Fact]
    public void Records_of_another_apply_change_nothing()
    {
        var state = Fold(new ApplyStarted("a1", "p1", [Step("dataset:t/a")], T0), new StepStarted("zz", "dataset:t/a", T0));
        Assert.Equal(ApplyStepStatus.Pending, state.LastApply!.Steps[0].Status);
    }

    [Fact]
    public void Approvals_count_for_their_work_until_they_expire_and_expired_ones_are_dropped()
    {
        var state = Fold(
            new ItemsApproved("p1", "w1", ["dataset:t/old"], T0, T0.AddHours(1)),
            new ItemsApproved("p2", "w2", ["dataset:t/x"], T0.AddMinutes(30), T0.AddHours(2)));
        Assert.Equal(["dataset:t/old"], state.ApprovedItems("w1", T0.AddMinutes(59)));
        Assert.Empty(state.ApprovedItems("w1", T0.AddHours(1)));
        Assert.Empty(state.ApprovedItems("w3", T0));

        var later = state.Apply(new ItemsApproved("p3", "w3", ["dataset:t/y"], T0.AddHours(1.5), T0.AddHours(3)));
        Assert.Equal(["p2", "p3"], later.Approvals.Select(a => a.PlanId));
    }

    [Fact]
    public void A_snapshot_restores_the_whole_state()
    {
        var state = Fold(new ItemsApproved("p1", "w1", ["dataset:t/old"], T0, T0.AddHours(1)), new ApplyStarted("a1", "p1", [Step("dataset:t/a")], T0));
        var restored = GitOpsState.Empty.Apply(state.ToSnapshot());
        Assert.Equal(state.Approvals, restored.Approvals);
        Assert.Same(state.LastApply, restored.LastApply);
    }
}
