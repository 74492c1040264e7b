using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.Apply;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;
using static DPlaneOS.Actors.GitOps.GitOpsJournal;
using static DPlaneOS.Actors.Tests.GitOps.GitOpsPlans;

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

    // ---------------------------------------------------------------- decisions

    private static readonly Plan Work = Plan("p1", Create("t/a"), Nop("t"), Removal("t/old"));

    private static GitOpsDecision Decide(GitOpsState state, GitOpsInput input, DateTimeOffset? at = null) => state.Decide(input, at ?? T0, Settings);

    private static T Reply<T>(GitOpsDecision decision) => Assert.IsType<T>(Assert.Single(decision.Effects.OfType<GitOpsEffect.Reply>()).Message);

    private static IEnumerable<string> Shape(GitOpsDecision decision) => decision.Effects.Select(e => e switch
    {
        GitOpsEffect.Persist p => $"persist {p.Record.GetType().Name}",
        GitOpsEffect.Reply r => $"reply {r.Message.GetType().Name}",
        GitOpsEffect.Publish p => $"publish {p.Type}",
        GitOpsEffect.StartStep s => $"run {s.Item.Id}",
        GitOpsEffect.ReportCheck => "report check",
        GitOpsEffect.RefreshPlan => "refresh plan",
        GitOpsEffect.Log => "log",
        _ => e.ToString(),
    });

    /// <summary>The state after <paramref name="plan"/> was computed and its removal approved at <see cref="T0"/>.</summary>
    private static GitOpsState Approved(Plan plan)
    {
        var state = Decide(GitOpsState.Empty, new GitOpsInput.PlanComputed(Planned(plan, T0))).State;
        return Decide(state, new GitOpsInput.ApproveRequested(plan.Id, ["dataset:t/old"], Planned(plan, T0))).State;
    }

    [Fact]
    public void Approving_a_blocked_removal_journals_it_with_its_expiry_and_replies()
    {
        var decision = Decide(GitOpsState.Empty, new GitOpsInput.ApproveRequested("p1", ["dataset:t/old", "dataset:t/old"], Planned(Work, T0)));
        Assert.Equal(["persist ItemsApproved", "reply Approved"], Shape(decision));
        var approved = Reply<Approved>(decision);
        Assert.Equal(["dataset:t/old"], approved.ItemIds);
        Assert.Equal(T0 + Settings.ApprovalTtl, approved.ExpiresAt);
        Assert.Equal(["dataset:t/old"], decision.State.ApprovedItems(PlanComparison.WorkId(Work), T0));
    }

    [Fact]
    public void Only_blocked_removals_of_the_plan_can_be_approved()
    {
        var decision = Decide(GitOpsState.Empty, new GitOpsInput.ApproveRequested("p1", ["dataset:t/a", "dataset:nope"], Planned(Work, T0)));
        Assert.Equal(2, Reply<ApprovalRejected>(decision).Problems.Count);
        Assert.Same(GitOpsState.Empty, decision.State);

        Assert.Single(Reply<ApprovalRejected>(Decide(GitOpsState.Empty, new GitOpsInput.ApproveRequested("p1", [], Planned(Work, T0)))).Problems);
    }

    [Fact]
    public void Without_a_usable_state_file_a_request_is_answered_with_the_problem()
    {
        Assert.Equal("missing", Reply<StateNotUsable>(Decide(GitOpsState.Empty, new GitOpsInput.PlanRequested(Missing(T0)))).Problem);
        Assert.Equal("invalid", Reply<StateNotUsable>(Decide(GitOpsState.Empty, new GitOpsInput.ApplyRequested("p1", "a1", Invalid(T0)))).Problem);
        Assert.Equal("missing", Reply<StateNotUsable>(Decide(GitOpsState.Empty, new GitOpsInput.ApproveRequested("p1", ["x"], Missing(T0)))).Problem);
    }

    [Fact]
    public void A_plan_handed_out_recently_stays_valid_while_its_work_is_the_same()
    {
        var state = Decide(GitOpsState.Empty, new GitOpsInput.PlanComputed(Planned(Work, T0))).State;
        // Only used bytes moved: another plan id, the same work.
        var same = Plan("p2", Create("t/a"), Nop("t"), Removal("t/old"));
        Assert.Equal(["persist ItemsApproved", "reply Approved"], Shape(Decide(state, new GitOpsInput.ApproveRequested("p1", ["dataset:t/old"], Planned(same, T0)))));

        var other = Plan("p3", Create("t/b"), Removal("t/old"));
        var stale = Reply<PlanStale>(Decide(state, new GitOpsInput.ApproveRequested("p1", ["dataset:t/old"], Planned(other, T0))));
        Assert.Equal(("p1", "p3"), (stale.RequestedPlanId, stale.Current.PlanId));
        // A plan never handed out is stale even when the work matches.
        Reply<PlanStale>(Decide(GitOpsState.Empty, new GitOpsInput.ApplyRequested("p1", "a1", Planned(same, T0))));
    }

    [Fact]
    public void Only_the_most_recent_plans_are_remembered()
    {
        var state = GitOpsState.Empty;
        for (var i = 0; i <= GitOpsState.RememberedPlanCount; i++)
            state = Decide(state, new GitOpsInput.PlanComputed(Planned(Plan($"p{i}", Create("t/a")), T0))).State;
        Assert.Equal(GitOpsState.RememberedPlanCount, state.RememberedPlans.Count);
        Assert.False(state.IsCurrent("p0", Plan("fresh", Create("t/a"))));
        Assert.True(state.IsCurrent("p1", Plan("fresh", Create("t/a"))));
    }

    [Fact]
    public void Apply_is_refused_while_a_removal_is_not_approved_and_after_its_approval_expired()
    {
        var computed = Decide(GitOpsState.Empty, new GitOpsInput.PlanComputed(Planned(Work, T0))).State;
        var refused = Decide(computed, new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0)));
        Assert.Equal(["dataset:t/old"], Reply<ApplyRefused>(refused).Blocked.Select(i => i.Id));
        Assert.Same(computed, refused.State);

        var approved = Approved(Work);
        var expired = Decide(approved, new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0 + Settings.ApprovalTtl)), T0 + Settings.ApprovalTtl);
        Assert.Equal(["reply ApplyRefused"], Shape(expired));
        Assert.Empty(approved.LiveApprovals(T0 + Settings.ApprovalTtl));
    }

    [Fact]
    public void An_item_no_approval_can_unblock_stops_apply()
    {
        var plan = Plan("p1", Create("t/a"), Reminder("old"));
        var state = Decide(GitOpsState.Empty, new GitOpsInput.PlanComputed(Planned(plan, T0))).State;
        Assert.Equal(["pool:old"], Reply<ApplyRefused>(Decide(state, new GitOpsInput.ApplyRequested("p1", "a1", Planned(plan, T0)))).Blocked.Select(i => i.Id));
    }

    [Fact]
    public void An_accepted_apply_is_journalled_announced_and_runs_its_first_step()
    {
        var decision = Decide(Approved(Work), new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0)));
        Assert.Equal(["persist ApplyStarted", "reply ApplyAccepted", "publish gitops.apply.started", "persist StepStarted", "run dataset:t/a"], Shape(decision));
        var accepted = Reply<ApplyAccepted>(decision);
        Assert.Equal(["dataset:t/a", "dataset:t/old"], accepted.Steps.Select(s => s.ItemId));
        Assert.Equal([false, true], accepted.Steps.Select(s => s.Approved));
        var started = decision.Effects.OfType<GitOpsEffect.Publish>().Single();
        Assert.Equal(("a1", "2", "dataset:t/a,dataset:t/old"), (started.Data["applyId"], started.Data["steps"], started.Data["items"]));
        Assert.Equal("a1", decision.State.Running!.ApplyId);
        Assert.Equal(ApplyStepStatus.Running, decision.State.Running.Steps[0].Status);
    }

    [Fact]
    public void A_second_apply_is_refused_while_one_runs()
    {
        var running = Decide(Approved(Work), new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0))).State;
        var second = Decide(running, new GitOpsInput.ApplyRequested("p1", "a2", Planned(Work, T0)));
        Assert.Equal("a1", Reply<ApplyAlreadyRunning>(second).ApplyId);
        Assert.Equal(["reply ApplyAlreadyRunning"], Shape(second));
        Assert.Same(running, second.State);
    }

    [Fact]
    public void Steps_run_one_after_the_other_and_the_end_is_published_and_followed_by_a_fresh_check()
    {
        var state = Decide(Approved(Work), new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0))).State;
        var first = Decide(state, new GitOpsInput.StepFinished("a1", "dataset:t/a", new StepOutcome(StepStatus.Done, "created", ["zfs create -p t/a"])));
        Assert.Equal(["persist StepFinished", "publish gitops.apply.step", "persist StepStarted", "run dataset:t/old"], Shape(first));
        var step = first.Effects.OfType<GitOpsEffect.Publish>().Single();
        Assert.Equal(("create", "done", "true", "zfs create -p t/a"), (step.Data["action"], step.Data["status"], step.Data["success"], step.Data["commands"]));

        var last = Decide(first.State, new GitOpsInput.StepFinished("a1", "dataset:t/old", new StepOutcome(StepStatus.Skipped, "already gone", [])));
        Assert.Equal(["persist StepFinished", "publish gitops.apply.step", "persist ApplyFinished", "publish gitops.apply.finished", "refresh plan"], Shape(last));
        var finished = last.Effects.OfType<GitOpsEffect.Publish>().Last();
        Assert.Equal(("1", "1", "0", "0"), (finished.Data["done"], finished.Data["skipped"], finished.Data["failed"], finished.Data["notRun"]));
        Assert.Equal(ApplyStatus.Succeeded, last.State.LastApply!.Status);
        Assert.Null(last.State.Running);
        Assert.Null(last.State.Work);
    }

    [Fact]
    public void An_apply_with_nothing_to_do_ends_at_once()
    {
        var plan = Plan("p1", Nop("t"));
        var state = Decide(GitOpsState.Empty, new GitOpsInput.PlanComputed(Planned(plan, T0))).State;
        var decision = Decide(state, new GitOpsInput.ApplyRequested("p1", "a1", Planned(plan, T0)));
        Assert.Equal(["persist ApplyStarted", "reply ApplyAccepted", "publish gitops.apply.started", "persist ApplyFinished", "publish gitops.apply.finished", "refresh plan"],
            Shape(decision));
    }

    [Fact]
    public void The_first_failed_step_ends_the_apply_with_a_warning()
    {
        var state = Decide(Approved(Work), new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0))).State;
        var failed = Decide(state, new GitOpsInput.StepFinished("a1", "dataset:t/a", new StepOutcome(StepStatus.Failed, "out of space", [])));
        Assert.Equal(["persist StepFinished", "publish gitops.apply.step", "persist ApplyFinished", "publish gitops.apply.failed", "refresh plan"], Shape(failed));
        var events = failed.Effects.OfType<GitOpsEffect.Publish>().ToList();
        Assert.Equal([Severity.Warning, Severity.Warning], events.Select(e => e.Severity));
        Assert.Equal(("false", "step dataset:t/a failed: out of space"), (events[0].Data["success"], events[1].Data["error"]));
        Assert.Equal([ApplyStepStatus.Failed, ApplyStepStatus.NotRun], failed.State.LastApply!.Steps.Select(s => s.Status));
    }

    [Fact]
    public void Step_results_of_another_apply_or_of_a_step_not_running_change_nothing()
    {
        var state = Decide(Approved(Work), new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0))).State;
        var done = new StepOutcome(StepStatus.Done, "ok", []);
        foreach (var input in new GitOpsInput[]
                 {
                     new GitOpsInput.StepFinished("a0", "dataset:t/a", done),
                     new GitOpsInput.StepFinished("a1", "dataset:t/old", done),
                     new GitOpsInput.StepFinished("a1", "dataset:nope", done),
                 })
        {
            var decision = Decide(state, input);
            Assert.Empty(decision.Effects);
            Assert.Same(state, decision.State);
        }

        Assert.Empty(Decide(GitOpsState.Empty, new GitOpsInput.StepFinished("a1", "dataset:t/a", done)).Effects);
    }

    [Fact]
    public void Recovery_marks_a_running_apply_interrupted_and_warns()
    {
        var running = Decide(Approved(Work), new GitOpsInput.ApplyRequested("p1", "a1", Planned(Work, T0))).State;
        var recovered = Fold([.. running.Approvals, .. new Persistence.IPersistedEvent[]
        {
            new ApplyStarted("a1", "p1", [.. running.LastApply!.Steps.Select(s => new PlannedStep(s.ItemId, s.Action, s.Kind, s.Name, s.Commands, s.Approved))], T0),
            new StepStarted("a1", "dataset:t/a", T0),
        }]);
        var decision = Decide(recovered, GitOpsInput.Recovered.Instance, T0.AddMinutes(1));
        Assert.Equal(["persist ApplyInterrupted", "log", "publish gitops.apply.interrupted"], Shape(decision));
        Assert.Equal("dataset:t/a", decision.Effects.OfType<GitOpsEffect.Publish>().Single().Data["inDoubtItem"]);
        Assert.Equal(ApplyStatus.Interrupted, decision.State.LastApply!.Status);

        Assert.Empty(Decide(decision.State, GitOpsInput.Recovered.Instance).Effects);
    }

    [Fact]
    public void A_check_is_remembered_reported_and_answered()
    {
        var plan = Plan("p1", Create("t/a"), Nop("t"));
        var decision = Decide(GitOpsState.Empty, new GitOpsInput.CheckRequested(Planned(plan, T0)));
        Assert.Equal(["report check", "reply CheckResult"], Shape(decision));
        var check = decision.State.LastCheck!;
        Assert.Equal((true, "p1", true), (check.Configured, check.PlanId, check.Drifted));
        Assert.Equal(["dataset:t/a"], check.Drift.Select(d => d.Id));
        Assert.Same(check, decision.State.Status(T0, Settings).LastCheck);

        Assert.False(Decide(GitOpsState.Empty, new GitOpsInput.CheckRequested(Missing(T0))).State.LastCheck!.Configured);
        var invalid = Decide(GitOpsState.Empty, new GitOpsInput.CheckRequested(Invalid(T0))).State.LastCheck!;
        Assert.Equal((true, false), (invalid.Configured, invalid.Drifted));
        Assert.NotNull(invalid.Error);
    }
}
