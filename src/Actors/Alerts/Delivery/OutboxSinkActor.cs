using Akka.Persistence;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>How an outbox sink retries, bounds its outbox, tells time and draws jitter.</summary>
/// <param name="Subscribe">Subscribes the sink to its notifications; <see cref="AlertBus.Subscribe"/> in the daemon.</param>
public sealed record OutboxSinkSettings(
    RetrySchedule Retry,
    int MaxPending,
    TimeProvider Time,
    Func<double> Random,
    Action<ActorSystem, IActorRef> Subscribe,
    NodeIdentity Node);

/// <summary>
/// The delivery half every alert sink shares. A notification from <see cref="AlertBus"/> that a
/// target wants is journalled (<see cref="OutboxJournal.DeliveryQueued"/>) before any attempt; each
/// attempt runs off the actor and comes back by PipeTo; a success or a give-up is journalled and the
/// delivery leaves the outbox. After a restart the outbox is recovered and delivery resumes, so
/// nothing is lost and nothing delivered is sent again. Per target one attempt is in flight at a
/// time, oldest first; after a failure that says the target is unavailable the target is held until
/// that delivery's next attempt, so a dead receiver gets one probe per backoff step, not a flood.
/// </summary>
public abstract class OutboxSinkActor : ReceivePersistentActor, IWithTimers
{
    private const string DispatchTimer = "dispatch";
    private const int SnapshotEvery = 100;

    private readonly OutboxSinkSettings _settings;
    private readonly Dictionary<int, string> _inFlight = [];
    private readonly Dictionary<int, DateTimeOffset> _heldUntil = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _sinceSnapshot;
    private bool _subscribed;

    protected OutboxSinkActor(OutboxSinkSettings settings)
    {
        _settings = settings;
        Recover<SnapshotOffer>(offer => RestoreSnapshot(offer.Snapshot));
        Recover<IPersistedEvent>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            Outbox = Outbox.AllDueAt(Time.GetUtcNow());
            ScheduleDispatch();
        });

        Command<AlertNotification>(OnNotification);
        Command<SubscribeAck>(_ => _subscribed = true);
        Command<OutboxProtocol.GetSubscribed>(_ => Sender.Tell(new OutboxProtocol.Subscribed(_subscribed)));
        Command<OutboxProtocol.Dispatch>(_ => Dispatch());
        Command<OutboxProtocol.AttemptCompleted>(OnAttemptCompleted);
        Command<SaveSnapshotSuccess>(saved =>
        {
            // The snapshot holds everything, so older records (delivered payloads among them) can go.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => Log.Warning(failed.Cause, "{0}: snapshot failed; the journal keeps everything", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => Log.Warning(failed.Cause, "{0}: could not compact the journal", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => Log.Warning(failed.Cause, "{0}: could not delete old snapshots", PersistenceId));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected OutboxState Outbox { get; private set; } = OutboxState.Empty;

    protected TimeProvider Time => _settings.Time;

    /// <summary>This node, as test messages name it.</summary>
    protected NodeIdentity Node => _settings.Node;

    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>The targets that want <paramref name="message"/> (not a resolution): enabled, filter and severity match.</summary>
    protected abstract IEnumerable<int> SubscribersOf(AlertMessage message);

    /// <summary>Whether <paramref name="target"/> exists and is enabled; a disabled target's deliveries wait.</summary>
    protected abstract bool IsActive(int target);

    /// <summary>Starts one attempt. Runs on the actor: read state here, return a task that touches none.</summary>
    protected abstract Task<DeliveryOutcome> AttemptAsync(int target, AlertMessage message, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="failure"/> means the target as a whole is unavailable, not just this delivery refused.</summary>
    protected virtual bool HoldsTarget(DeliveryOutcome failure) => true;

    /// <summary>The target for log lines (never a secret).</summary>
    protected abstract string Describe(int target);

    protected abstract IPersistedEvent TakeSnapshot();

    protected abstract void RestoreSnapshot(object snapshot);

    protected void RestoreOutbox(OutboxSnapshot snapshot) => Outbox = OutboxState.FromSnapshot(snapshot);

    /// <summary>Applies a journal record, on recovery and after persisting. Sinks add their own records and call the base.</summary>
    protected virtual void Apply(IPersistedEvent record)
    {
        Outbox = record switch
        {
            OutboxJournal.DeliveryQueued queued => Outbox.Apply(queued),
            OutboxJournal.DeliverySucceeded succeeded => Outbox.Apply(succeeded),
            OutboxJournal.DeliveryFailed failed => Outbox.Apply(failed),
            _ => throw new InvalidOperationException($"{PersistenceId} cannot apply {record.GetType().Name}"),
        };
    }

    /// <summary>Journals <paramref name="record"/>, applies it, then runs <paramref name="then"/>.</summary>
    protected void Record<T>(T record, Action<T> then) where T : class, IPersistedEvent =>
        Persist(record, persisted =>
        {
            Apply(persisted);
            CountForSnapshot();
            then(persisted);
        });

    /// <summary>Answers the sender with the outcome of one test attempt; a faulted attempt is a failed delivery.</summary>
    protected void AnswerTest(Task<DeliveryOutcome> attempt) =>
        attempt.PipeTo(Sender,
            success: outcome => new SinkReply.Ok<TestDelivery>(TestDelivery.From(outcome)),
            failure: ex => new SinkReply.Ok<TestDelivery>(new TestDelivery(false, null, 0, ex.GetBaseException().Message)));

    /// <summary>A deleted target: its pending deliveries, status and open conditions go with it.</summary>
    protected void ForgetTarget(int target)
    {
        Outbox = Outbox.WithoutTarget(target);
        _heldUntil.Remove(target);
    }

    protected override void PreStart()
    {
        base.PreStart();
        _settings.Subscribe(Context.System, Self);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        base.PostStop();
    }

    private void OnNotification(AlertNotification notification)
    {
        var message = AlertMessage.From(notification);
        if (Outbox.HasSeen(message.Id)) return;
        var targets = (message.IsResolution ? Outbox.TargetsToldAbout(message.Key).Where(IsActive) : SubscribersOf(message))
            .Distinct().Order().ToList();
        if (targets.Count == 0) return;

        var now = Time.GetUtcNow();
        var records = new List<IPersistedEvent>();
        foreach (var target in targets)
        {
            foreach (var dropped in Outbox.Overflow(target, _settings.MaxPending - 1))
            {
                Log.Error("{0}: dropped unsent notification {1}: more than {2} deliveries were waiting", Describe(target), dropped.NotificationId, _settings.MaxPending);
                records.Add(new OutboxJournal.DeliveryFailed(dropped.NotificationId, target, now, null,
                    $"dropped unsent: more than {_settings.MaxPending} deliveries were waiting", null));
            }
        }
        records.Add(new OutboxJournal.DeliveryQueued(message, targets, now));
        PersistAll(records, persisted =>
        {
            Apply(persisted);
            CountForSnapshot();
            if (persisted is OutboxJournal.DeliveryQueued) Dispatch();
        });
    }

    protected void Dispatch()
    {
        var now = Time.GetUtcNow();
        foreach (var target in Outbox.Targets.ToList())
        {
            if (_inFlight.ContainsKey(target) || !IsActive(target)) continue;
            if (_heldUntil.TryGetValue(target, out var held) && held > now) continue;
            if (Outbox.NextDue(target, now) is { } entry) Start(entry);
        }
        ScheduleDispatch();
    }

    private void Start(OutboxEntry entry)
    {
        _inFlight[entry.Target] = entry.NotificationId;
        var (id, target) = (entry.NotificationId, entry.Target);
        AttemptAsync(target, entry.Message, _stopping.Token).PipeTo(Self,
            success: outcome => new OutboxProtocol.AttemptCompleted(id, target, outcome),
            failure: ex => new OutboxProtocol.AttemptCompleted(id, target, DeliveryOutcome.Failure(null, ex.GetBaseException().Message, 0)));
    }

    private void ScheduleDispatch()
    {
        var next = Outbox.NextWakeUp(target =>
            _inFlight.ContainsKey(target) || !IsActive(target) ? null : _heldUntil.GetValueOrDefault(target, DateTimeOffset.MinValue));
        if (next is null)
        {
            Timers.Cancel(DispatchTimer);
            return;
        }
        var delay = next.Value - Time.GetUtcNow();
        Timers.StartSingleTimer(DispatchTimer, OutboxProtocol.Dispatch.Instance, delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }

    private void OnAttemptCompleted(OutboxProtocol.AttemptCompleted completed)
    {
        if (_inFlight.TryGetValue(completed.Target, out var inFlight) && inFlight == completed.NotificationId) _inFlight.Remove(completed.Target);
        // Gone meanwhile: the target was deleted or the delivery dropped.
        if (Outbox.Find(completed.NotificationId, completed.Target) is not { } entry)
        {
            Dispatch();
            return;
        }

        var now = Time.GetUtcNow();
        var outcome = completed.Outcome;
        if (outcome.Delivered)
        {
            _heldUntil.Remove(completed.Target);
            Record(new OutboxJournal.DeliverySucceeded(entry.NotificationId, entry.Target, now, outcome.StatusCode, outcome.LatencyMs), _ => Dispatch());
            return;
        }

        var attempts = entry.Attempts + 1;
        var next = _settings.Retry.NextAttempt(entry.QueuedAt, attempts, now, _settings.Random());
        var error = outcome.Error ?? "failed";
        if (next is { } retryAt)
        {
            Log.Warning("{0}: delivery of {1} failed (attempt {2}); next attempt at {3:O}: {4}", Describe(entry.Target), entry.NotificationId, attempts, retryAt, error);
            if (HoldsTarget(outcome)) _heldUntil[entry.Target] = retryAt;
        }
        else
        {
            error = $"gave up after {attempts} attempts over {(now - entry.QueuedAt):g}: {error}";
            Log.Error("{0}: delivery of {1} {2}", Describe(entry.Target), entry.NotificationId, error);
        }
        Record(new OutboxJournal.DeliveryFailed(entry.NotificationId, entry.Target, now, outcome.StatusCode, error, next), _ => Dispatch());
    }

    private void CountForSnapshot()
    {
        if (++_sinceSnapshot < SnapshotEvery) return;
        _sinceSnapshot = 0;
        SaveSnapshot(TakeSnapshot());
    }
}

/// <summary>Messages every outbox sink understands.</summary>
public static class OutboxProtocol
{
    /// <summary>Asks whether the sink's bus subscription is live; answered with <see cref="Subscribed"/>.</summary>
    public sealed record GetSubscribed
    {
        public static readonly GetSubscribed Instance = new();
    }

    public sealed record Subscribed(bool IsLive);

    internal sealed record Dispatch : IDeadLetterSuppression
    {
        public static readonly Dispatch Instance = new();
    }

    internal sealed record AttemptCompleted(string NotificationId, int Target, DeliveryOutcome Outcome);
}
