using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Actors.Node;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Apply;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests.GitOps;

/// <summary>
/// The GitOps actor with a fake host: the in-memory journal with the daemon's serializer bindings, the
/// real event bus (the system's LocalBus), restarts by stopping and re-creating it.
/// </summary>
public sealed class GitOpsActorTests : TestKit
{
    private const long GiB = 1024L * 1024 * 1024;
    private const string DiskA = "/dev/disk/by-id/ata-A";
    private const string DiskB = "/dev/disk/by-id/ata-B";

    private static readonly Config TestConfig = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.loglevel = WARNING
        """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "dplaned.conf"))));

    private const string StateYaml = """
        version: 1
        pools:
          - name: tank
            vdev_type: mirror
            disks: [/dev/disk/by-id/ata-A, /dev/disk/by-id/ata-B]
            prune: true
        datasets:
          - name: tank/a
            quota: 1G
          - name: tank/b
        """;

    private readonly string _statePath = Path.Combine(Directory.CreateTempSubdirectory("dplaned-gitops-actor-").FullName, "state.yaml");
    private readonly FakeLiveReader _reader = new(Live(("tank/old", 5 * GiB)));
    private readonly FakeExecutor _executor = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly TestProbe _bus;

    public GitOpsActorTests() : base(TestConfig)
    {
        _bus = CreateTestProbe();
        MonitorBus.Subscribe(Sys, _bus.Ref);
        _bus.ExpectMsg<SubscribeAck>(TimeSpan.FromSeconds(5));
    }

    private static LiveState Live(params (string Name, long Used)[] datasets) => LiveWith([.. datasets.Select(d => Ds(d.Name, d.Used))]);

    private static LiveState LiveWith(params LiveDataset[] datasets) => new(
        [new LivePool("tank", VdevType.Mirror, [DiskA, DiskB], null, new Dictionary<string, string>())],
        [Ds("tank", 10 * GiB), .. datasets],
        [], new HashSet<string>(), []);

    private static LiveDataset Ds(string name, long used, params (string, string)[] properties) => new(name, used, properties.ToDictionary(p => p.Item1, p => p.Item2));

    private IActorRef Start(TimeSpan? driftInterval = null, TimeSpan? ttl = null) =>
        Sys.ActorOf(Props.Create(() => new GitOpsActor(
            new GitOpsSettings(_statePath, "/etc/samba/dplaneos-shares.conf", driftInterval ?? TimeSpan.FromHours(1), ttl ?? TimeSpan.FromHours(1)),
            new StateFileStore(_statePath), _reader, _executor, _time, NodeIdentity.Named("nas1"))));

    private IActorRef Restart(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        return Start();
    }

    private PlanView Plan(IActorRef actor)
    {
        actor.Tell(GetPlan.Instance);
        return ExpectMsg<PlanReady>(TimeSpan.FromSeconds(10)).Plan;
    }

    private ApplyRecord WaitForApply(IActorRef actor, Func<ApplyRecord, bool> done)
    {
        ApplyRecord? apply = null;
        AwaitAssert(() =>
        {
            actor.Tell(GetStatus.Instance);
            apply = ExpectMsg<StatusView>().Apply;
            Assert.True(apply is not null && done(apply), $"apply: {apply}");
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
        return apply!;
    }

    private MonitorEvent ExpectEvent(string type) =>
        _bus.FishForMessage<MonitorEvent>(e => e.Type == type, TimeSpan.FromSeconds(10));

    private static IEnumerable<string> Work(PlanView plan) => plan.Items.Where(i => i.Action != PlanAction.Nop).Select(i => $"{i.Action} {i.Id}");

    [Fact]
    public void Without_a_state_file_nothing_is_managed_and_a_check_is_not_drift()
    {
        var actor = Start();
        actor.Tell(GetPlan.Instance);
        var missing = ExpectMsg<StateNotUsable>();
        Assert.Equal("missing", missing.Problem);
        actor.Tell(CheckNow.Instance);
        var check = ExpectMsg<CheckResult>();
        Assert.False(check.Configured);
        Assert.False(check.Drifted);
    }

    [Fact]
    public void Blocked_items_stop_apply_until_approved_then_steps_run_in_plan_order_and_are_published()
    {
        File.WriteAllText(_statePath, StateYaml);
        var actor = Start();
        var plan = Plan(actor);
        Assert.Equal(["Create dataset:tank/a", "Create dataset:tank/b", "Blocked dataset:tank/old"], Work(plan));

        actor.Tell(new StartApply(plan.PlanId));
        var refused = ExpectMsg<ApplyRefused>();
        Assert.Equal(["dataset:tank/old"], refused.Blocked.Select(i => i.Id));
        Assert.Empty(_executor.Executed);

        actor.Tell(new Approve(plan.PlanId, ["dataset:tank/a", "dataset:nope"]));
        var rejected = ExpectMsg<ApprovalRejected>();
        Assert.Equal(2, rejected.Problems.Count);

        actor.Tell(new Approve(plan.PlanId, ["dataset:tank/old"]));
        Assert.Equal(_time.Now + TimeSpan.FromHours(1), ExpectMsg<GitOpsActor.Protocol.Approved>().ExpiresAt);
        Assert.Equal(["dataset:tank/old"], Plan(actor).ApprovedItemIds);

        actor.Tell(new StartApply(plan.PlanId));
        var accepted = ExpectMsg<ApplyAccepted>();
        Assert.Equal(["dataset:tank/a", "dataset:tank/b", "dataset:tank/old"], accepted.Steps.Select(s => s.ItemId));
        Assert.Equal([false, false, true], accepted.Steps.Select(s => s.Approved));

        var apply = WaitForApply(actor, a => a.Status != ApplyStatus.Running);
        Assert.Equal(ApplyStatus.Succeeded, apply.Status);
        Assert.All(apply.Steps, s => Assert.Equal(ApplyStepStatus.Done, s.Status));
        Assert.Equal(["dataset:tank/a", "dataset:tank/b", "dataset:tank/old"], _executor.Executed);

        Assert.Equal(accepted.ApplyId, ExpectEvent("gitops.apply.started").Data["applyId"]);
        var steps = Enumerable.Range(0, 3).Select(_ => ExpectEvent("gitops.apply.step")).ToList();
        Assert.Equal(["dataset:tank/a", "dataset:tank/b", "dataset:tank/old"], steps.Select(e => e.Data["itemId"]));
        Assert.All(steps, e => Assert.Equal("done", e.Data["status"]));
        Assert.Equal("3", ExpectEvent("gitops.apply.finished").Data["done"]);
    }

    [Fact]
    public void A_plan_is_stale_when_its_work_changed_but_not_when_only_used_bytes_moved()
    {
        File.WriteAllText(_statePath, StateYaml.Replace("prune: true", "prune: false"));
        var actor = Start();
        var reviewed = Plan(actor);

        _reader.State = Live(("tank/old", 5 * GiB), ("tank/a", 0));
        actor.Tell(new StartApply(reviewed.PlanId));
        var stale = ExpectMsg<PlanStale>();
        Assert.NotEqual(reviewed.PlanId, stale.Current.PlanId);
        Assert.Equal(["Create dataset:tank/b", "Modify dataset:tank/a"], Work(stale.Current));
        Assert.Empty(_executor.Executed);

        _reader.State = Live(("tank/old", 6 * GiB));
        actor.Tell(new StartApply(reviewed.PlanId));
        var accepted = ExpectMsg<ApplyAccepted>();
        Assert.NotEqual(reviewed.PlanId, accepted.PlanId);
        Assert.Equal(ApplyStatus.Succeeded, WaitForApply(actor, a => a.Status != ApplyStatus.Running).Status);
    }

    [Fact]
    public void The_first_failed_step_stops_the_apply_with_a_report()
    {
        File.WriteAllText(_statePath, StateYaml.Replace("prune: true", "prune: false"));
        _executor.Outcome = item => item.Id == "dataset:tank/a"
            ? new StepOutcome(StepStatus.Failed, "zfs create: out of space", ["zfs create -p -o quota=1073741824 tank/a"])
            : new StepOutcome(StepStatus.Done, "ok", []);
        var actor = Start();
        actor.Tell(new StartApply(Plan(actor).PlanId));
        ExpectMsg<ApplyAccepted>();

        var apply = WaitForApply(actor, a => a.Status != ApplyStatus.Running);
        Assert.Equal(ApplyStatus.Failed, apply.Status);
        Assert.Contains("out of space", apply.Error);
        Assert.Equal([ApplyStepStatus.Failed, ApplyStepStatus.NotRun], apply.Steps.Select(s => s.Status));
        Assert.Equal(["dataset:tank/a"], _executor.Executed);
        Assert.Equal("warning", ExpectEvent("gitops.apply.step").Severity.ToString().ToLowerInvariant());
        Assert.Contains("out of space", ExpectEvent("gitops.apply.failed").Data["error"]);
    }

    [Fact]
    public async Task A_restart_mid_apply_marks_it_interrupted_and_never_resumes_or_reruns_a_step()
    {
        File.WriteAllText(_statePath, StateYaml);
        _executor.HangOn = "dataset:tank/b";
        var actor = Start();
        var plan = Plan(actor);
        actor.Tell(new Approve(plan.PlanId, ["dataset:tank/old"]));
        ExpectMsg<GitOpsActor.Protocol.Approved>();
        actor.Tell(new StartApply(plan.PlanId));
        ExpectMsg<ApplyAccepted>();
        await _executor.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));

        actor = Restart(actor);

        var apply = WaitForApply(actor, a => a.Status == ApplyStatus.Interrupted);
        Assert.Equal([ApplyStepStatus.Done, ApplyStepStatus.InDoubt, ApplyStepStatus.NotRun], apply.Steps.Select(s => s.Status));
        Assert.Contains("dataset:tank/b", apply.Error);
        Assert.Equal("dataset:tank/b", ExpectEvent("gitops.apply.interrupted").Data["inDoubtItem"]);
        // Nothing ran again by itself; a new apply needs a new plan from live state.
        Assert.Equal(["dataset:tank/a", "dataset:tank/b"], _executor.Executed);

        _reader.State = LiveWith(Ds("tank/old", 5 * GiB), Ds("tank/a", 1, ("quota", "1073741824")), Ds("tank/b", 1));
        var rest = Plan(actor);
        Assert.Equal(["Blocked dataset:tank/old"], Work(rest));
        // An approval holds for the work it was given for; what is left is other work and is approved anew.
        Assert.Empty(rest.ApprovedItemIds);
        actor.Tell(new Approve(rest.PlanId, ["dataset:tank/old"]));
        ExpectMsg<GitOpsActor.Protocol.Approved>();
        actor.Tell(new StartApply(rest.PlanId));
        Assert.Equal(["dataset:tank/old"], ExpectMsg<ApplyAccepted>().Steps.Select(s => s.ItemId));
        Assert.Equal(ApplyStatus.Succeeded, WaitForApply(actor, a => a.Status != ApplyStatus.Running && a.Status != ApplyStatus.Interrupted).Status);
        Assert.Equal(["dataset:tank/a", "dataset:tank/b", "dataset:tank/old"], _executor.Executed);
    }

    [Fact]
    public void Approvals_survive_a_restart_and_expire_after_their_ttl()
    {
        File.WriteAllText(_statePath, StateYaml.Replace("  - name: tank/b\n", "").Replace("quota: 1G", "quota: 1G\n"));
        _reader.State = Live(("tank/old", 5 * GiB), ("tank/a", 1));
        var actor = Start();
        var plan = Plan(actor);
        actor.Tell(new Approve(plan.PlanId, ["dataset:tank/old"]));
        ExpectMsg<GitOpsActor.Protocol.Approved>();

        actor = Restart(actor);
        Assert.Equal(["dataset:tank/old"], Plan(actor).ApprovedItemIds);

        _time.Now += TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1);
        Assert.Empty(Plan(actor).ApprovedItemIds);
        actor.Tell(new StartApply(plan.PlanId));
        Assert.Contains(ExpectMsg<ApplyRefused>().Blocked, i => i.Id == "dataset:tank/old");
        Assert.Empty(_executor.Executed);
    }

    [Fact]
    public async Task A_second_apply_is_refused_while_one_runs()
    {
        File.WriteAllText(_statePath, StateYaml.Replace("prune: true", "prune: false"));
        _executor.HangOn = "dataset:tank/a";
        var actor = Start();
        var plan = Plan(actor);
        actor.Tell(new StartApply(plan.PlanId));
        var first = ExpectMsg<ApplyAccepted>();
        await _executor.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        actor.Tell(new StartApply(plan.PlanId));
        Assert.Equal(first.ApplyId, ExpectMsg<ApplyAlreadyRunning>().ApplyId);
    }

    [Fact]
    public async Task An_answer_never_predates_its_request()
    {
        File.WriteAllText(_statePath, StateYaml.Replace("prune: true", "prune: false"));
        var actor = Start();
        Plan(actor);
        // Let the drift detector's start-up check finish, so the gated read below is this test's.
        AwaitAssert(() =>
        {
            actor.Tell(GetStatus.Instance);
            Assert.NotNull(ExpectMsg<StatusView>().LastCheck);
        }, TimeSpan.FromSeconds(10));
        _reader.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(GetPlan.Instance);
        await _reader.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // The host changes while the first plan is being read; a request sent now must see the change.
        _reader.State = LiveWith(Ds("tank/old", 5 * GiB), Ds("tank/a", 1, ("quota", "1073741824")), Ds("tank/b", 1));
        actor.Tell(GetPlan.Instance);
        _reader.Gate.SetResult();
        _reader.Gate = null;
        Assert.NotEmpty(Work(ExpectMsg<PlanReady>().Plan));
        Assert.Empty(Work(ExpectMsg<PlanReady>().Plan));
    }

    [Fact]
    public void Put_state_validates_against_the_hosts_pools_and_only_writes_a_valid_file()
    {
        var actor = Start();
        actor.Tell(new PutState("version: 1\ndatasets:\n  - name: elsewhere/x\n  - name: tank/y\n    quota: lots\n"));
        var rejected = ExpectMsg<StateRejected>();
        Assert.Equal(["datasets[0].name", "datasets[1].quota"], rejected.Errors.Select(e => e.Path).Order());
        Assert.False(File.Exists(_statePath));

        actor.Tell(new PutState("version: 1\ndatasets:\n  - name: tank/x\n"));
        Assert.Equal(_statePath, ExpectMsg<StateSaved>().Written.Path);
        actor.Tell(GetState.Instance);
        Assert.Equal("version: 1\ndatasets:\n  - name: tank/x\n", ExpectMsg<StateFileContent>().Text);
    }

    [Fact]
    public void Drift_is_published_when_the_set_of_changes_changes_not_on_every_check_and_resolution_is_published_once()
    {
        File.WriteAllText(_statePath, StateYaml);
        Start(driftInterval: TimeSpan.FromMilliseconds(100));

        var drift = ExpectEvent("gitops.drift");
        Assert.Equal(Severity.Warning, drift.Severity);
        Assert.Equal("dataset:tank/a:create,dataset:tank/b:create,dataset:tank/old:blocked", drift.Data["items"]);
        // Checks go on every 100 ms; the same drift is not news.
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(800));

        _reader.State = LiveWith(Ds("tank/old", 5 * GiB), Ds("tank/a", 1, ("quota", "1073741824")));
        Assert.Equal("dataset:tank/b:create,dataset:tank/old:blocked", ExpectEvent("gitops.drift").Data["items"]);

        _reader.State = LiveWith(Ds("tank/a", 1, ("quota", "1073741824")), Ds("tank/b", 1));
        var resolved = ExpectEvent("gitops.drift-resolved");
        Assert.Equal(Severity.Resolved, resolved.Severity);
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(800));
    }
}
