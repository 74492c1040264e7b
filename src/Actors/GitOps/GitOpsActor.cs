using Akka.Persistence;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Live;

namespace DPlaneOS.Actors.GitOps;

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
/// The decisions are <see cref="GitOpsState.Decide"/>'s; this actor computes plans, runs steps, journals, publishes and replies.
/// Its child <c>drift</c> (<see cref="DriftDetectorActor"/>) asks for checks on a timer and publishes drift.
/// </summary>
public sealed partial class GitOpsActor : ReceivePersistentActor
{
    private const int SnapshotEvery = 200;

    private readonly GitOpsSettings _settings;
    private readonly StateFileStore _store;
    private readonly ILiveStateReader _reader;
    private readonly IApplyStepExecutor _executor;
    private readonly TimeProvider _time;
    private readonly NodeIdentity _node;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();

    private GitOpsState _state = GitOpsState.Empty;

    // Only the journalled part, as far as it is journalled: what a snapshot holds.
    private GitOpsState _journalled = GitOpsState.Empty;
    private List<(object Request, IActorRef? ReplyTo)> _nextRound = [];
    private List<(object Request, IActorRef? ReplyTo)> _thisRound = [];
    private bool _computing;
    private IActorRef _drift = ActorRefs.Nobody;

    public GitOpsActor(GitOpsSettings settings, StateFileStore store, ILiveStateReader reader, IApplyStepExecutor executor, TimeProvider time, NodeIdentity node)
    {
        _settings = settings;
        _store = store;
        _reader = reader;
        _executor = executor;
        _time = time;
        _node = node;

        Recover<SnapshotOffer>(offer => Recovered((GitOpsJournal.Snapshot)offer.Snapshot));
        Recover<IPersistedEvent>(Recovered);
        Recover<RecoveryCompleted>(_ => Decide(GitOpsInput.Recovered.Instance, null));

        Command<Protocol.GetPlan>(request => Enqueue(request, Sender));
        Command<Protocol.Approve>(request => Enqueue(request, Sender));
        Command<Protocol.StartApply>(request => Enqueue(request, Sender));
        Command<Protocol.CheckNow>(request => Enqueue(request, Sender));
        // The drift detector's timer checks are answered through CheckCompleted (GitOpsEffect.ReportCheck), not as a reply.
        Command<Protocol.RunCheck>(request => Enqueue(request, null));
        Command<Protocol.Computed>(OnComputed);
        Command<Protocol.StepCompleted>(completed => Decide(new GitOpsInput.StepFinished(completed.ApplyId, completed.ItemId, completed.Outcome), null));
        Command<Protocol.GetStatus>(_ => Sender.Tell(_state.Status(_time.GetUtcNow(), _settings)));
        Command<Protocol.GetState>(_ => ReadState(Sender));
        Command<Protocol.PutState>(request => ValidateAndWrite(request.Yaml, Sender));
        Command<Protocol.StateValidated>(OnStateValidated);
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

    private void Recovered(IPersistedEvent record)
    {
        _state = _state.Apply(record);
        _journalled = _journalled.Apply(record);
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
            success: outcome => new Protocol.Computed(outcome),
            failure: ex => new Protocol.Computed(new PlanOutcome.NotUsable(
                new Protocol.StateNotUsable(_settings.StatePath, "failed", $"cannot compute a plan: {Reason(ex)}", []), _time.GetUtcNow())));
    }

    private async Task<PlanOutcome> ComputeAsync(CancellationToken cancellationToken)
    {
        var file = await _store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!file.Exists)
            return new PlanOutcome.NotUsable(new Protocol.StateNotUsable(file.Path, "missing",
                $"{file.Path} does not exist: nothing is managed yet (PUT /api/gitops/state to start)", []), _time.GetUtcNow());
        var live = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var parsed = Parse(file.Text, live, _settings.Paths);
        if (!parsed.IsValid)
            return new PlanOutcome.NotUsable(new Protocol.StateNotUsable(file.Path, "invalid", $"{file.Path} is not valid ({parsed.Errors.Count} error(s))", parsed.Errors), _time.GetUtcNow());
        return new PlanOutcome.Planned(parsed.State, live, PlanBuilder.Build(parsed.State, live), _time.GetUtcNow());
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

    private void OnComputed(Protocol.Computed computed)
    {
        _computing = false;
        var outcome = computed.Outcome;
        Decide(new GitOpsInput.PlanComputed(outcome), null);
        var round = _thisRound;
        _thisRound = [];
        foreach (var (request, replyTo) in round)
        {
            GitOpsInput input = request switch
            {
                Protocol.GetPlan => new GitOpsInput.PlanRequested(outcome),
                Protocol.Approve approve => new GitOpsInput.ApproveRequested(approve.PlanId, approve.ItemIds, outcome),
                Protocol.StartApply apply => new GitOpsInput.ApplyRequested(apply.PlanId, Guid.NewGuid().ToString("N"), outcome),
                _ => new GitOpsInput.CheckRequested(outcome),
            };
            Decide(input, replyTo);
        }

        if (_nextRound.Count > 0 && !_computing) StartRound();
    }

    // ---------------------------------------------------------------- decisions

    private void Decide(GitOpsInput input, IActorRef? replyTo)
    {
        var decision = _state.Decide(input, _time.GetUtcNow(), _settings);
        // Commands are stashed while a record is journalled, so the state may move on at once.
        _state = decision.State;
        Carry(decision.Effects, replyTo);
    }

    /// <summary>Carries out the effects in order; those after a record run once it is journalled.</summary>
    private void Carry(IReadOnlyList<GitOpsEffect> effects, IActorRef? replyTo)
    {
        var persist = effects.ToList().FindIndex(e => e is GitOpsEffect.Persist);
        foreach (var effect in persist < 0 ? effects : effects.Take(persist)) Carry(effect, replyTo);
        if (persist < 0) return;
        var rest = effects.Skip(persist + 1).ToList();
        Persist(((GitOpsEffect.Persist)effects[persist]).Record, record =>
        {
            _journalled = _journalled.Apply(record);
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_journalled.ToSnapshot());
            Carry(rest, replyTo);
        });
    }

    private void Carry(GitOpsEffect effect, IActorRef? replyTo)
    {
        switch (effect)
        {
            case GitOpsEffect.Reply reply:
                replyTo?.Tell(reply.Message);
                break;
            case GitOpsEffect.Publish publish:
                MonitorBus.Publish(Context.System, MonitorEvent.Create(_node, publish.Type, publish.Severity, publish.Subject, _time.GetUtcNow(), publish.Data));
                break;
            case GitOpsEffect.StartStep step:
                RunStep(step);
                break;
            case GitOpsEffect.ReportCheck report:
                _drift.Tell(new DriftDetectorActor.Protocol.CheckCompleted(report.Result));
                break;
            case GitOpsEffect.RefreshPlan:
                Enqueue(Protocol.RunCheck.Instance, null);
                break;
            case GitOpsEffect.Log log:
                _log.Log(log.Level, log.Template, [.. log.Args]);
                break;
        }
    }

    private void RunStep(GitOpsEffect.StartStep step)
    {
        var (applyId, itemId) = (step.ApplyId, step.Item.Id);
        _executor.ExecuteAsync(step.Desired, step.Item, _stopping.Token).PipeTo(Self,
            success: outcome => new Protocol.StepCompleted(applyId, itemId, outcome ?? new StepOutcome(StepStatus.Failed, "step crashed: no outcome", [])),
            failure: ex => new Protocol.StepCompleted(applyId, itemId, new StepOutcome(StepStatus.Failed, $"step crashed: {Reason(ex)}", [])));
    }

    /// <summary>Why a piped task did not give its result: its error, or that it was cancelled (the actor is stopping).</summary>
    private static string Reason(Exception ex) => ex switch
    {
        OperationCanceledException => "cancelled",
        AggregateException { InnerExceptions: [var inner] } => Reason(inner),
        _ => ex.Message,
    };

    // ---------------------------------------------------------------- state.yaml

    private void ReadState(IActorRef replyTo) =>
        _store.ReadAsync(_stopping.Token).PipeTo(replyTo, success: content => content, failure: ex => new Protocol.StateFailed($"cannot read {_store.Path}: {Reason(ex)}"));

    private void ValidateAndWrite(string yaml, IActorRef replyTo)
    {
        async Task<Protocol.StateValidated> Run(CancellationToken cancellationToken)
        {
            // Datasets must sit in a declared or an existing pool, paths in a pool's mount tree: read the host first,
            // as a plan does, so a file accepted here is not refused by the plan that follows.
            var live = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var parsed = Parse(yaml, live, _settings.Paths);
            if (!parsed.IsValid) return new Protocol.StateValidated(replyTo, new Protocol.StateRejected(parsed.Errors));
            var written = await _store.WriteAsync(yaml, cancellationToken).ConfigureAwait(false);
            return new Protocol.StateValidated(replyTo, new Protocol.StateSaved(written));
        }

        Run(_stopping.Token).PipeTo(Self, failure: ex => new Protocol.StateValidated(replyTo, new Protocol.StateFailed($"cannot write {_store.Path}: {Reason(ex)}")));
    }

    private void OnStateValidated(Protocol.StateValidated validated)
    {
        validated.ReplyTo.Tell(validated.Reply);
        if (validated.Reply is Protocol.StateSaved) Enqueue(Protocol.RunCheck.Instance, null);
    }
}
