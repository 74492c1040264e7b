using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Actors.Node;
using DPlaneOS.Zfs.GitOps.Planning;

namespace DPlaneOS.Actors.Tests.GitOps;

public sealed class DriftTrackerTests
{
    private static readonly NodeIdentity Node = NodeIdentity.Named("nas1");
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static CheckResult Check(params (string Id, PlanAction Action)[] drift) =>
        new(At, "/var/lib/dplaneos/state.yaml", true, "plan", new PlanSummary(drift.Count(d => d.Action == PlanAction.Create), 0, 0,
            drift.Count(d => d.Action == PlanAction.Blocked), 1), drift.Select(d => new DriftItem(d.Id, d.Action, PlanRisk.Low, "r")).ToList(), null, [], []);

    private static CheckResult Failed(string error) => new(At, "/s", true, null, null, [], error, [], []);

    private static (DriftTracker, IReadOnlyList<MonitorEvent>) Step(DriftTracker tracker, CheckResult check) => tracker.Observe(check, Node);

    [Fact]
    public void Only_changes_of_the_drift_set_are_news()
    {
        var (t1, e1) = Step(DriftTracker.InSync, Check(("dataset:tank/a", PlanAction.Create)));
        Assert.Equal("gitops.drift", Assert.Single(e1).Type);
        Assert.Equal("1", e1[0].Data["create"]);

        var (t2, e2) = Step(t1, Check(("dataset:tank/a", PlanAction.Create)));
        Assert.Empty(e2);

        var (t3, e3) = Step(t2, Check(("dataset:tank/a", PlanAction.Create), ("dataset:tank/old", PlanAction.Blocked)));
        Assert.Equal("dataset:tank/a:create,dataset:tank/old:blocked", Assert.Single(e3).Data["items"]);

        var (t4, e4) = Step(t3, Check());
        var resolved = Assert.Single(e4);
        Assert.Equal(("gitops.drift-resolved", Severity.Resolved), (resolved.Type, resolved.Severity));

        Assert.Empty(Step(t4, Check()).Item2);
    }

    [Fact]
    public void The_same_item_with_another_action_is_new_drift()
    {
        var (t1, _) = Step(DriftTracker.InSync, Check(("dataset:tank/a", PlanAction.Create)));
        Assert.Single(Step(t1, Check(("dataset:tank/a", PlanAction.Modify))).Item2);
    }

    [Fact]
    public void A_fresh_install_without_state_yaml_is_silent()
    {
        Assert.Empty(DriftTracker.InSync.Observe(new CheckResult(At, "/s", false, null, null, [], null, [], []), Node).Events);
    }

    [Fact]
    public void A_failing_check_is_reported_once_per_reason_and_does_not_reset_drift()
    {
        var (t1, _) = Step(DriftTracker.InSync, Check(("dataset:tank/a", PlanAction.Create)));
        var (t2, e2) = Step(t1, Failed("state.yaml is not valid"));
        Assert.Equal("gitops.check-failed", Assert.Single(e2).Type);
        var (t3, e3) = Step(t2, Failed("state.yaml is not valid"));
        Assert.Empty(e3);
        var (t4, e4) = Step(t3, Failed("cannot compute a plan: disk full"));
        Assert.Single(e4);
        // Back to the same drift as before the failures: no drift news, only the end of the check failure,
        // on the check's own subject so it cannot end the drift that is still there.
        var ok = Assert.Single(Step(t4, Check(("dataset:tank/a", PlanAction.Create))).Item2);
        Assert.Equal((GitOpsEvents.CheckOk, Severity.Resolved), (ok.Type, ok.Severity));
        Assert.Equal("cannot compute a plan: disk full", ok.Data["previousError"]);
        Assert.Equal(DriftTracker.CheckSubject("/var/lib/dplaneos/state.yaml"), ok.Subject);
        Assert.Equal(DriftTracker.CheckSubject("/s"), e4[0].Subject);
    }

    [Fact]
    public void A_fresh_tracker_states_the_first_successful_check_even_in_sync()
    {
        var (t1, e1) = Step(DriftTracker.Initial, Check());
        Assert.Equal([(GitOpsEvents.CheckOk, Severity.Resolved, "/var/lib/dplaneos/state.yaml#check"),
            (GitOpsEvents.DriftResolved, Severity.Resolved, "/var/lib/dplaneos/state.yaml")],
            e1.Select(e => (e.Type, e.Severity, e.Subject)));
        Assert.Equal("in sync at the first check since start", e1[1].Data["reason"]);
        // Said once: the tracker the actor keeps does not say it again.
        Assert.Empty(Step(t1, Check()).Item2);
    }

    [Fact]
    public void A_fresh_tracker_that_finds_drift_states_the_drift()
    {
        var (t1, e1) = Step(DriftTracker.Initial, Check(("dataset:tank/a", PlanAction.Create)));
        Assert.Equal([GitOpsEvents.CheckOk, GitOpsEvents.Drift], e1.Select(e => e.Type));
        Assert.Empty(Step(t1, Check(("dataset:tank/a", PlanAction.Create))).Item2);
    }

    [Fact]
    public void A_fresh_tracker_whose_first_check_fails_states_the_failure_then_the_first_success()
    {
        var (t1, e1) = Step(DriftTracker.Initial, Failed("state.yaml is not valid"));
        Assert.Equal(GitOpsEvents.CheckFailed, Assert.Single(e1).Type);
        var (t2, e2) = Step(t1, Check());
        Assert.Equal([GitOpsEvents.CheckOk, GitOpsEvents.DriftResolved], e2.Select(e => e.Type));
        Assert.Empty(Step(t2, Check()).Item2);
    }

    [Fact]
    public void An_unconfigured_state_yaml_ends_a_reported_check_failure_and_is_otherwise_silent()
    {
        var unconfigured = new CheckResult(At, "/s", false, null, null, [], null, [], []);
        Assert.Empty(DriftTracker.Initial.Observe(unconfigured, Node).Events);
        var (t1, _) = Step(DriftTracker.InSync, Failed("state.yaml is not valid"));
        Assert.Equal(GitOpsEvents.CheckOk, Assert.Single(t1.Observe(unconfigured, Node).Events).Type);
    }

    [Fact]
    public void Every_event_names_the_node_it_was_given()
    {
        var (t1, e1) = Step(DriftTracker.Initial, Check(("dataset:tank/a", PlanAction.Create)));
        var (_, e2) = Step(t1, Failed("state.yaml is not valid"));
        Assert.All([.. e1, .. e2], e => Assert.Equal("nas1", e.Node));
    }
}
