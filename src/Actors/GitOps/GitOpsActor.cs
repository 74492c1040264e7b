using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Persistence;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Live;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;
using static DPlaneOS.Actors.GitOps.GitOpsJournal;

namespace DPlaneOS.Actors.GitOps;

/// <summary>Where the GitOps actor finds its files, how long things last, and where state.yaml may mount and share (default: <see cref="PathPolicy.Default"/>).</summary>
public sealed record GitOpsSettings(string StatePath, string SambaInclude, TimeSpan DriftInterval, TimeSpan ApprovalTtl, PathPolicy? Paths = null);

/// <summary>
/// <c>/user/gitops</c>: the single owner of plans, approvals and applies on this node.
/// <list type="bullet">
/// <item>Every plan is computed fresh (state.yaml + live read, off the actor). Requests that arrive
/// while one is computed wait for the next computation, so an answer never predates its request,
/// and approve / apply are serialized with everything else.</item>
/// <item>Approvals are persisted and bound to the plan's work (<see cref="PlanComparison.WorkId"/>) with a TTL.</item>
/// <item>Apply is an event-sourced job: "step started" is persisted before a step runs, "step finished"
/// after. A restart marks a running apply interrupted and never resumes it: a new plan, computed from
/// live state, holds exactly what is left, and each step re-checks its object before acting.</item>
/// </list>
/// Its child <c>drift</c> (<see cref="DriftDetectorActor"/>) asks for checks on a timer and publishes drift.
/// </summary>
public sealed partial class GitOpsActor : ReceivePersistentActor
{
    private const int SnapshotEvery = 200;
    private const int RememberedPlans = 64;

    private readonly GitOpsSettings _settings;
    private readonly StateFileStore _store;
    private readonly ILiveStateReader _reader;
    private readonly IApplyStepExecutor _executor;
    private readonly TimeProvider _time;
    private readonly NodeIdentity _node;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();

    // Plan ids handed out recently → their work id, so a plan reviewed a moment ago stays valid while the work is the same.
    private readonly Dictionary<string, string> _workOfPlan = new(StringComparer.Ordinal);
    private readonly Queue<string> _planOrder = new();

    private GitOpsState _state = GitOpsState.Empty;
    private List<(object Request, IActorRef? ReplyTo)> _nextRound = [];
    private List<(object Request, IActorRef? ReplyTo)> _thisRound = [];
    private bool _computing;
    private CheckResult? _lastCheck;
    private IActorRef _drift = ActorRefs.Nobody;

    // The running apply's inputs; not persisted, because an interrupted apply is never resumed.
    private DesiredState? _applyDesired;
    private Dictionary<string, PlanItem> _applyItems = [];

    public GitOpsActor(GitOpsSettings settings, StateFileStore store, ILiveStateReader reader, IApplyStepExecutor executor, TimeProvider time, NodeIdentity node)
    {
        _settings = settings;
        _store = store;
        _reader = reader;
        _executor = executor;
        _time = time;
        _node = node;

        Recover<SnapshotOffer>(offer => _state = _state.Apply((Snapshot)offer.Snapshot));
        Recover<IPersistedEvent>(record => _state = _state.Apply(record));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<GetPlan>(request => Enqueue(request, Sender));
        Command<Approve>(request => Enqueue(request, Sender));
        Command<StartApply>(request => Enqueue(request, Sender));
        Command<CheckNow>(request => Enqueue(request, Sender));
        Command<RunCheck>(request => Enqueue(request, Sender));
        Command<Computed>(OnComputed);
        Command<StepCompleted>(OnStepCompleted);
        Command<GetStatus>(_ => Sender.Tell(new StatusView(_settings.StatePath, _settings.SambaInclude, _lastCheck, _state.LastApply,
            _state.Approvals.Where(a => a.ExpiresAt > _time.GetUtcNow()).ToList())));
        Command<GetState>(_ => ReadState(Sender));
        Command<PutState>(request => ValidateAndWrite(request.Yaml, Sender));
        Command<StateValidated>(OnStateValidated);
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(failure => _log.Warning("GitOps snapshot failed: {0}", failure.Cause.Message));
    }

    public override string PersistenceId => _node.PersistenceId("gitops");

    protected override void PreStart()
    {
        base.PreStart();
        _drift = Context.ActorOf(Props.Create(() => new DriftDetectorActor(_settings.DriftInterval, _node)), "drift");
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        base.PostStop();
    }

    private void OnRecovered()
    {
        if (_state.Running is not { } apply) return;
        // The daemon stopped mid-apply. Whatever the in-flight step did is visible in live state now;
        // the operator re-plans, and each step re-checks before acting, so nothing runs twice.
        var inDoubt = apply.Steps.FirstOrDefault(s => s.Status == ApplyStepStatus.Running)?.ItemId;
        Record(new ApplyInterrupted(apply.ApplyId, inDoubt, _time.GetUtcNow()), _ =>
        {
            _log.Warning("GitOps apply {0} was interrupted by a restart (step in doubt: {1})", apply.ApplyId, inDoubt ?? "none");
            Publish(GitOpsEvents.ApplyInterrupted, Severity.Warning, apply.ApplyId, new Dictionary<string, string>
            {
                ["applyId"] = apply.ApplyId,
                ["planId"] = apply.PlanId,
                ["inDoubtItem"] = inDoubt ?? "",
            });
        });
    }

    // ---------------------------------------------------------------- plan rounds

    private void Enqueue(object request, IActorRef? replyTo)
    {
        _nextRound.Add((request, replyTo));
        if (!_computing) StartRound();
    }

    private void StartRound()
    {
        _thisRound = _nextRound;
        _nextRound = [];
        _computing = true;
        ComputeAsync(_stopping.Token).PipeTo(Self,
            success: outcome => new Computed(outcome),
            failure: ex => new Computed(new NotUsable(new StateNotUsable(_settings.StatePath, "failed", $"cannot compute a plan: {ex.Message}", []), _time.GetUtcNow())));
    }

    private async Task<PlanOutcome> ComputeAsync(CancellationToken cancellationToken)
    {
        var file = await _store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!file.Exists)
            return new NotUsable(new StateNotUsable(file.Path, "missing",
                $"{file.Path} does not exist: nothing is managed yet (PUT /api/gitops/state to start)", []), _time.GetUtcNow());
        var live = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var parsed = Parse(file.Text, live, _settings.Paths);
        if (!parsed.IsValid)
            return new NotUsable(new StateNotUsable(file.Path, "invalid", $"{file.Path} is not valid ({parsed.Errors.Count} error(s))", parsed.Errors), _time.GetUtcNow());
        return new Planned(parsed.State, live, PlanBuilder.Build(parsed.State, live), _time.GetUtcNow());
    }

    private static StateParseResult Parse(string yaml, LiveState live, PathPolicy? paths)
    {
        var poolsKnown = !live.ProbeFailures.Any(f => f.Kind == ResourceKind.Pool && f.Scope is null && f.Probe == "zpool status");
        var pools = live.Pools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        // A pool root's live mountpoint is part of its mount tree (a pool mounted at /mnt/tank by hand).
        var rootMounts = live.Datasets
            .Where(d => pools.Contains(d.Name) && d.Property("mountpoint") is not null)
            .DistinctBy(d => d.Name)
            .ToDictionary(d => d.Name, d => d.Property("mountpoint")!, StringComparer.Ordinal);
        return StateFileParser.Parse(yaml, pools, poolsKnown, paths, rootMounts);
    }

    private void OnComputed(Computed computed)
    {
        _computing = false;
        if (computed.Outcome is Planned planned) Remember(planned.Plan);
        var round = _thisRound;
        _thisRound = [];
        foreach (var (request, replyTo) in round)
        {
            switch (request)
            {
                case GetPlan:
                    replyTo?.Tell(computed.Outcome is Planned p ? new PlanReady(View(p)) : ((NotUsable)computed.Outcome).Problem);
                    break;
                case Approve approve:
                    ServeApprove(approve, computed.Outcome, replyTo);
                    break;
                case StartApply apply:
                    ServeApply(apply, computed.Outcome, replyTo);
                    break;
                case CheckNow or RunCheck:
                    ServeCheck(computed.Outcome, replyTo);
                    break;
            }
        }

        if (_nextRound.Count > 0 && !_computing) StartRound();
    }

    private void ServeCheck(PlanOutcome outcome, IActorRef? replyTo)
    {
        var result = outcome switch
        {
            Planned p => new CheckResult(p.At, _settings.StatePath, true, p.Plan.Id, p.Plan.Summary,
                p.Plan.Items.Where(i => i.Action != PlanAction.Nop).Select(i => new DriftItem(i.Id, i.Action, i.Risk, i.Reason)).ToList(),
                null, [], p.Live.ProbeFailures),
            NotUsable { Problem.Problem: "missing" } n => new CheckResult(n.At, _settings.StatePath, false, null, null, [], null, [], []),
            NotUsable n => new CheckResult(n.At, _settings.StatePath, true, null, null, [], n.Problem.Message, n.Problem.Errors, []),
            _ => throw new InvalidOperationException($"unknown plan outcome {outcome}"),
        };
        _lastCheck = result;
        _drift.Tell(new DriftDetectorActor.Protocol.CheckCompleted(result));
        // The drift detector's own timer checks are answered through CheckCompleted above.
        if (replyTo is not null && !replyTo.Equals(_drift)) replyTo.Tell(result);
    }

    /// <summary>The fresh plan when <paramref name="planId"/> still names its work; otherwise replies why not and returns null.</summary>
    private Planned? CurrentPlan(string planId, PlanOutcome outcome, IActorRef? replyTo)
    {
        if (outcome is not Planned planned)
        {
            replyTo?.Tell(((NotUsable)outcome).Problem);
            return null;
        }

        if (IsCurrent(planId, planned.Plan)) return planned;
        replyTo?.Tell(new PlanStale(planId, View(planned)));
        return null;
    }

    private void ServeApprove(Approve request, PlanOutcome outcome, IActorRef? replyTo)
    {
        if (CurrentPlan(request.PlanId, outcome, replyTo) is not { Plan: var plan }) return;
        var problems = new List<string>();
        if (request.ItemIds.Count == 0) problems.Add("itemIds must name at least one plan item");
        foreach (var id in request.ItemIds.Distinct(StringComparer.Ordinal))
        {
            var item = plan.Items.FirstOrDefault(i => i.Id == id);
            if (item is null) problems.Add($"{id}: no such item in plan {plan.Id}");
            else if (!item.RequiresApproval)
                problems.Add($"{id} is {item.Action.ToString().ToUpperInvariant()}, not a removal awaiting approval: only BLOCKED removals of datasets " +
                             "that hold data can be approved; other blocked items need a change to state.yaml or to the host");
        }

        if (problems.Count > 0)
        {
            replyTo?.Tell(new ApprovalRejected(plan.Id, problems));
            return;
        }

        var now = _time.GetUtcNow();
        var approved = new ItemsApproved(plan.Id, PlanComparison.WorkId(plan), request.ItemIds.Distinct(StringComparer.Ordinal).ToList(), now, now + _settings.ApprovalTtl);
        Record(approved, e => replyTo?.Tell(new Approved(e.PlanId, e.ItemIds, e.ExpiresAt)));
    }

    private void ServeApply(StartApply request, PlanOutcome outcome, IActorRef? replyTo)
    {
        if (_state.Running is { } running)
        {
            replyTo?.Tell(new ApplyAlreadyRunning(running.ApplyId));
            return;
        }

        if (CurrentPlan(request.PlanId, outcome, replyTo) is not { } planned) return;
        var plan = planned.Plan;
        var approved = _state.ApprovedItems(PlanComparison.WorkId(plan), _time.GetUtcNow());
        var blocked = plan.Items.Where(i => i.Action == PlanAction.Blocked && !(i.RequiresApproval && approved.Contains(i.Id))).ToList();
        if (blocked.Count > 0)
        {
            replyTo?.Tell(new ApplyRefused(plan.Id, blocked));
            return;
        }

        // Plan order is the apply order: pools, then datasets (parents first, removals children first), then shares.
        // Every BLOCKED item left is an approved removal.
        var steps = plan.Items
            .Where(i => i.Action != PlanAction.Nop)
            .Select(i => new PlannedStep(i.Id, i.Action, i.Kind, i.Name, i.Commands, i.Action == PlanAction.Blocked))
            .ToList();
        var started = new ApplyStarted(Guid.NewGuid().ToString("N"), plan.Id, steps, _time.GetUtcNow());
        Record(started, e =>
        {
            _applyDesired = planned.Desired;
            _applyItems = plan.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
            replyTo?.Tell(new ApplyAccepted(e.ApplyId, e.PlanId, e.Steps));
            Publish(GitOpsEvents.ApplyStarted, Severity.Info, e.ApplyId, new Dictionary<string, string>
            {
                ["applyId"] = e.ApplyId,
                ["planId"] = e.PlanId,
                ["steps"] = e.Steps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["items"] = string.Join(",", e.Steps.Select(s => s.ItemId)),
            });
            RunNextStep();
        });
    }

    /// <summary>The requested plan is the fresh one, or one handed out recently that would do exactly the same work.</summary>
    private bool IsCurrent(string requested, Plan fresh) =>
        requested == fresh.Id || (_workOfPlan.TryGetValue(requested, out var work) && work == PlanComparison.WorkId(fresh));

    private void Remember(Plan plan)
    {
        if (_workOfPlan.ContainsKey(plan.Id)) return;
        _workOfPlan[plan.Id] = PlanComparison.WorkId(plan);
        _planOrder.Enqueue(plan.Id);
        while (_planOrder.Count > RememberedPlans) _workOfPlan.Remove(_planOrder.Dequeue());
    }

    private PlanView View(Planned planned) =>
        PlanView.Of(planned.Plan, planned.Live, _state.ApprovedItems(PlanComparison.WorkId(planned.Plan), _time.GetUtcNow()), planned.At);

    // ---------------------------------------------------------------- apply

    private void RunNextStep()
    {
        var apply = _state.Running!;
        if (_state.NextStep is not { } step)
        {
            Record(new ApplyFinished(apply.ApplyId, true, null, _time.GetUtcNow()), _ => EndApply(apply.ApplyId, null));
            return;
        }

        Record(new StepStarted(apply.ApplyId, step.ItemId, _time.GetUtcNow()), started =>
        {
            var self = Self;
            _executor.ExecuteAsync(_applyDesired!, _applyItems[started.ItemId], _stopping.Token).PipeTo(self,
                success: outcome => new StepCompleted(started.ApplyId, started.ItemId, outcome),
                failure: ex => new StepCompleted(started.ApplyId, started.ItemId, new StepOutcome(StepStatus.Failed, $"step crashed: {ex.Message}", [])));
        });
    }

    private void OnStepCompleted(StepCompleted completed)
    {
        var outcome = completed.Outcome;
        var finished = new StepFinished(completed.ApplyId, completed.ItemId, outcome.Status, outcome.Message, outcome.CommandsRun, _time.GetUtcNow());
        Record(finished, e =>
        {
            var step = _state.LastApply!.Steps.First(s => s.ItemId == e.ItemId);
            Publish(GitOpsEvents.ApplyStep, e.Status == StepStatus.Failed ? Severity.Warning : Severity.Info, e.ItemId, new Dictionary<string, string>
            {
                ["applyId"] = e.ApplyId,
                ["itemId"] = e.ItemId,
                ["action"] = step.Action.ToString().ToLowerInvariant(),
                ["status"] = e.Status.ToString().ToLowerInvariant(),
                // The audit log marks an entry failed on success=false.
                ["success"] = e.Status == StepStatus.Failed ? "false" : "true",
                ["message"] = e.Message,
                ["commands"] = string.Join("\n", e.CommandsRun),
            });
            if (e.Status != StepStatus.Failed)
            {
                RunNextStep();
                return;
            }

            var error = $"step {e.ItemId} failed: {e.Message}";
            Record(new ApplyFinished(e.ApplyId, false, error, _time.GetUtcNow()), _ => EndApply(e.ApplyId, error));
        });
    }

    private void EndApply(string applyId, string? error)
    {
        var apply = _state.LastApply!;
        var data = new Dictionary<string, string>
        {
            ["applyId"] = applyId,
            ["planId"] = apply.PlanId,
            ["done"] = Count(apply, ApplyStepStatus.Done),
            ["skipped"] = Count(apply, ApplyStepStatus.Skipped),
            ["failed"] = Count(apply, ApplyStepStatus.Failed),
            ["notRun"] = Count(apply, ApplyStepStatus.NotRun),
        };
        if (error is null) Publish(GitOpsEvents.ApplyFinished, Severity.Info, applyId, data);
        else Publish(GitOpsEvents.ApplyFailed, Severity.Warning, applyId, new Dictionary<string, string>(data) { ["error"] = error });
        _applyDesired = null;
        _applyItems = [];
        Enqueue(RunCheck.Instance, null);
    }

    private static string Count(ApplyRecord apply, ApplyStepStatus status) =>
        apply.Steps.Count(s => s.Status == status).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- state.yaml

    private void ReadState(IActorRef replyTo) =>
        _store.ReadAsync(_stopping.Token).PipeTo(replyTo, success: content => content, failure: ex => new StateFailed($"cannot read {_store.Path}: {ex.Message}"));

    private void ValidateAndWrite(string yaml, IActorRef replyTo)
    {
        async Task<StateValidated> Run(CancellationToken cancellationToken)
        {
            // Datasets must sit in a declared or an existing pool, paths in a pool's mount tree: read the host first,
            // as a plan does, so a file accepted here is not refused by the plan that follows.
            var live = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var parsed = Parse(yaml, live, _settings.Paths);
            if (!parsed.IsValid) return new StateValidated(replyTo, new StateRejected(parsed.Errors));
            var written = await _store.WriteAsync(yaml, cancellationToken).ConfigureAwait(false);
            return new StateValidated(replyTo, new StateSaved(written));
        }

        Run(_stopping.Token).PipeTo(Self, failure: ex => new StateValidated(replyTo, new StateFailed($"cannot write {_store.Path}: {ex.Message}")));
    }

    private void OnStateValidated(StateValidated validated)
    {
        validated.ReplyTo.Tell(validated.Reply);
        if (validated.Reply is StateSaved) Enqueue(RunCheck.Instance, null);
    }

    // ---------------------------------------------------------------- helpers

    private void Record<T>(T record, Action<T> then)
        where T : IPersistedEvent
    {
        Persist(record, persisted =>
        {
            _state = _state.Apply(persisted);
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
            then(persisted);
        });
    }

    private void Publish(string type, Severity severity, string subject, IReadOnlyDictionary<string, string> data) =>
        MonitorBus.Publish(Context.System, MonitorEvent.Create(_node, type, severity, subject, _time.GetUtcNow(), data));
}
