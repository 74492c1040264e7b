using Akka.Persistence;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// <c>/user/alerts/router</c>: turns monitor events into alert notifications with the debounce of
/// <see cref="AlertRouterState"/> and publishes them on <see cref="AlertBus.Topic"/>. Each decision is
/// journalled before it takes effect, so after a crash nothing is sent twice and a hysteresis window
/// that was running ends when it would have (its timer is re-armed from the journalled raise time).
/// </summary>
public sealed class AlertRouter : ReceivePersistentActor, IWithTimers
{
    private const int SnapshotEvery = 200;

    private readonly IActorRef _mediator;
    private readonly AlertOptions _timing;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private AlertRouterState _state = AlertRouterState.Empty;

    /// <param name="mediator">The <see cref="LocalBus"/> mediator (a probe in tests) the notifications are published through.
    /// Monitor events come from the parent, which is subscribed to the monitor topic (see <see cref="AlertsSetup"/>).</param>
    public AlertRouter(string persistenceId, IActorRef mediator, AlertOptions timing, TimeProvider time)
    {
        PersistenceId = persistenceId;
        _mediator = mediator;
        _timing = timing;
        _time = time;

        Recover<SnapshotOffer>(offer => _state = AlertRouterState.FromSnapshot((AlertRouterSnapshot)offer.Snapshot));
        Recover<IAlertRecord>(record => _state = _state.Apply(record));
        Recover<ISilenceRecord>(record => _state = _state.Apply(record));
        Recover<RecoveryCompleted>(_ =>
        {
            ArmEveryTimer();
            _log.Info("Alert router recovered {0} active conditions and {1} silences", _state.Conditions.Count, _state.Silences.Count);
        });

        // Events that arrive while the journal is replayed wait in the persistent actor's stash.
        Command<MonitorEvent>(monitorEvent =>
            Record(AlertRouterState.KeyOf(monitorEvent.Type, monitorEvent.Subject), _state.Decide(monitorEvent, Now, _timing, NewId)));
        Command<Protocol.ConditionDue>(due => Record(due.Key, _state.DecideDue(due.Key, Now, _timing, NewId)));
        Command<Protocol.Acknowledge>(OnAcknowledge);
        Command<Protocol.GetActiveAlerts>(_ =>
            Sender.Tell(new Protocol.ActiveAlerts(_state.Conditions.Values.OrderBy(c => c.FirstSeen).Select(c => ActiveAlert.From(c, _state, Now)).ToList())));
        Command<Protocol.CreateSilence>(OnCreateSilence);
        Command<Protocol.ExpireSilence>(OnExpireSilence);
        Command<Protocol.GetSilences>(_ => Sender.Tell(new Protocol.Silences(
            _state.Silences.Values.Where(s => s.Until > Now).OrderBy(s => s.Starts).ThenBy(s => s.CreatedAt).ToList())));
        Command<SaveSnapshotSuccess>(saved =>
        {
            // The snapshot holds every active condition; older records and snapshots are no longer needed.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "Alert router snapshot failed; the journal keeps everything"));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => _log.Warning(failed.Cause, "Alert router could not trim its journal"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "Alert router could not delete old snapshots"));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string persistenceId, IActorRef mediator, AlertOptions timing, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new AlertRouter(persistenceId, mediator, timing, time));

    private DateTimeOffset Now => _time.GetUtcNow();

    private static string NewId() => Guid.NewGuid().ToString("N");

    private void Record(string key, IReadOnlyList<IAlertRecord> records)
    {
        if (records.Count == 0)
        {
            // Nothing changed, but a timer that fired a little early must be set again.
            ArmTimer(key);
            return;
        }

        PersistAll(records, record =>
        {
            _state = _state.Apply(record);
            if (record is AlertNotified notified)
            {
                var n = notified.Notification;
                _log.Info("Alert {0} {1} {2} (event {3})", n.Kind, n.Severity, n.Key, n.Event.Id);
                _mediator.Tell(new Publish(AlertBus.Topic, n));
            }
            ArmTimer(record.Key);
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
        });
    }

    private void OnAcknowledge(Protocol.Acknowledge acknowledge)
    {
        if (!_state.Conditions.TryGetValue(acknowledge.Key, out var condition))
        {
            Sender.Tell(new Protocol.NotActive(acknowledge.Key));
            return;
        }
        var replyTo = Sender;
        Persist(new ConditionAcknowledged(acknowledge.Key, acknowledge.By, Now), record =>
        {
            _state = _state.Apply(record);
            ArmTimer(record.Key);
            _log.Info("Alert {0} acknowledged by {1}", record.Key, record.By);
            replyTo.Tell(new Protocol.Acknowledged(ActiveAlert.From(condition, _state, record.At), record.By, record.At));
        });
    }

    private void OnCreateSilence(Protocol.CreateSilence create)
    {
        var now = Now;
        var silence = new AlertSilence(NewId(), create.Matchers, create.Starts ?? now, create.Until, create.Comment, create.By, now);
        var replyTo = Sender;
        Persist(new SilenceCreated(silence), record =>
        {
            _state = _state.Apply(record);
            ArmEveryTimer();
            _log.Info("Silence {0} by {1} from {2:O} until {3:O}: {4}", silence.Id, silence.CreatedBy, silence.Starts, silence.Until, silence.Comment);
            replyTo.Tell(silence);
        });
    }

    private void OnExpireSilence(Protocol.ExpireSilence expire)
    {
        var now = Now;
        if (!_state.Silences.TryGetValue(expire.Id, out var silence) || silence.Until <= now)
        {
            Sender.Tell(new Protocol.NoSuchSilence(expire.Id));
            return;
        }
        var replyTo = Sender;
        Persist(new SilenceExpired(expire.Id, expire.By, now), record =>
        {
            _state = _state.Apply(record);
            // What the silence held back is due now: the timers say so at once.
            ArmEveryTimer();
            _log.Info("Silence {0} expired by {1}", record.Id, record.By);
            replyTo.Tell(_state.Silences[record.Id]);
        });
    }

    private void ArmEveryTimer()
    {
        foreach (var key in _state.Conditions.Keys) ArmTimer(key);
    }

    private void ArmTimer(string key)
    {
        var timerKey = "due|" + key;
        var deadline = _state.NextDeadline(key, _timing, Now);
        if (deadline is null)
        {
            Timers.Cancel(timerKey);
            return;
        }
        var delay = deadline.Value - Now;
        Timers.StartSingleTimer(timerKey, new Protocol.ConditionDue(key), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }

    public static class Protocol
    {
        /// <summary>A request from outside the actors (the routes); the alerts supervisor forwards each one to the router.</summary>
        public interface IRequest;

        /// <summary>Asks for the <see cref="ActiveAlerts"/>.</summary>
        public sealed record GetActiveAlerts : IRequest
        {
            public static readonly GetActiveAlerts Instance = new();
        }

        /// <summary>Every active condition, oldest first.</summary>
        public sealed record ActiveAlerts(IReadOnlyList<ActiveAlert> Items);

        /// <summary>Takes an active condition off the list without telling anyone; answered with <see cref="Acknowledged"/> or <see cref="NotActive"/>.</summary>
        /// <param name="By">Who acknowledged it (the API token's name).</param>
        public sealed record Acknowledge(string Key, string By) : IRequest;

        /// <param name="Alert">The condition as it was when it was acknowledged.</param>
        public sealed record Acknowledged(ActiveAlert Alert, string By, DateTimeOffset At);

        public sealed record NotActive(string Key);

        /// <summary>Creates a silence, checked by the caller (the gateway's SilenceRequest); answered with the <see cref="AlertSilence"/>.</summary>
        /// <param name="Starts">Null: now. A later start makes it a maintenance window.</param>
        public sealed record CreateSilence(AlertSilenceMatchers Matchers, DateTimeOffset? Starts, DateTimeOffset Until, string Comment, string By) : IRequest;

        /// <summary>Ends a silence now; answered with the <see cref="AlertSilence"/> as ended, or <see cref="NoSuchSilence"/>.</summary>
        public sealed record ExpireSilence(string Id, string By) : IRequest;

        public sealed record NoSuchSilence(string Id);

        /// <summary>Asks for the <see cref="Silences"/> that run or are to come.</summary>
        public sealed record GetSilences : IRequest
        {
            public static readonly GetSilences Instance = new();
        }

        public sealed record Silences(IReadOnlyList<AlertSilence> Items);

        /// <summary>A condition's hysteresis window or cooldown has ended.</summary>
        internal sealed record ConditionDue(string Key) : IDeadLetterSuppression;
    }
}
