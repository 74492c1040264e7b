using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Zfs.GitOps;

namespace DPlaneOS.Actors.Tests.GitOps;

public sealed class DriftTrackerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static CheckResult Check(params (string Id, PlanAction Action)[] drift) =>
        new(At, "/var/lib/dplaneos/state.yaml", true, "plan", new PlanSummary(drift.Count(d => d.Action == PlanAction.Create), 0, 0,
            drift.Count(d => d.Action == PlanAction.Blocked), 1), drift.Select(d => new DriftItem(d.Id, d.Action, PlanRisk.Low, "r")).ToList(), null, [], []);

    private static CheckResult Failed(string error) => new(At, "/s", true, null, null, [], error, [], []);

    private static (DriftTracker, IReadOnlyList<MonitorEvent>) Step(DriftTracker tracker, CheckResult check) => tracker.Observe(check);

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
        Assert.Empty(DriftTracker.InSync.Observe(new CheckResult(At, "/s", false, null, null, [], null, [], [])).Events);
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
        // Back to the same drift as before the failures: not news.
        Assert.Empty(Step(t4, Check(("dataset:tank/a", PlanAction.Create))).Item2);
    }
}
