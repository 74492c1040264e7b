using Akka.Persistence;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// <c>/user/audit</c>: the single writer of the audit chain. It alone assigns sequences and chains
/// hashes, so the chain cannot fork. A <see cref="Protocol.Record"/> is answered with
/// <see cref="Protocol.Recorded"/> only after the journal write succeeded; the gateway holds the
/// HTTP response until then. Monitor events whose type is an automatic action are recorded with
/// actor <c>system</c>.
/// </summary>
/// <remarks>
/// Records that arrive while a write is in flight are stashed by Akka and then written together
/// (up to <see cref="AuditOptions.MaxBatch"/> per transaction), so throughput does not fall to one
/// database round trip per request. A failed write stops the actor (Akka's rule for persistence
/// failures) after failing every waiting request; its backoff parent restarts it, and recovery
/// rebuilds the head from the journal, so what is in the database is always one unforked chain.
/// <para>
/// Tail anchor: after each persisted batch the new head goes to <see cref="AuditAnchorFile"/> from a
/// task (one write in flight, the newest waiting head next; a failed write is a warning and the next
/// batch writes again). At start, before any new record, the recovered head is compared with the
/// anchor (<see cref="AuditTailCheck"/>): a lost tail or an altered anchor is appended to the chain as a
/// marker record and published as a critical monitor event; then the writer serves as usual.
/// </para>
/// </remarks>
public sealed class AuditLog : ReceivePersistentActor
{
    private readonly AuditKey _key;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly string _node;
    private readonly bool _subscribeToMonitorBus;
    private readonly EventTypePattern _actionEvents;
    private readonly IAuditAnchorStore _anchor;
    private readonly IActorRef _mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<(AuditEntry Entry, IActorRef? ReplyTo)> _waiting = [];
    private readonly Queue<IActorRef?> _writing = new();
    private AuditHead _head = AuditHead.Genesis;
    private bool _subscribed;
    // The markers met during recovery (rare: one per detected loss), so a loss is never recorded twice.
    private readonly List<AuditRecord> _markersRecovered = [];
    private bool _anchorWriting;
    private AuditHead? _anchorPending;
    private readonly List<IActorRef> _settleWaiters = [];

    /// <param name="anchor">The tail anchor file (<c>&lt;data-dir&gt;/audit.head</c>).</param>
    /// <param name="mediator">The <see cref="LocalBus"/> mediator (a probe in tests) the writer publishes its own critical events through.</param>
    /// <param name="node">This node: its name is each record's source, its journal name is in the persistence id.</param>
    public AuditLog(AuditKey key, AuditOptions options, TimeProvider time, NodeIdentity node, bool subscribeToMonitorBus,
        IAuditAnchorStore anchor, IActorRef mediator)
    {
        _anchor = anchor;
        _mediator = mediator;
        _key = key;
        _options = options;
        _time = time;
        _node = node.Name;
        _subscribeToMonitorBus = subscribeToMonitorBus;
        _actionEvents = EventTypePattern.FromConfiguration(options.EffectiveActionEventTypes);
        PersistenceId = AuditSetup.PersistenceId(node);

        Recover<SnapshotOffer>(offer =>
        {
            _head = (AuditHead)offer.Snapshot;
        });
        Recover<AuditRecord>(record =>
        {
            _head = new AuditHead(record.Sequence, record.Hash);
            if (record.Actor == AuditEntry.SystemActor && AuditTailCheck.IsMarkerType(record.Action)) _markersRecovered.Add(record);
        });
        Recover<RecoveryCompleted>(_ => ReadAnchor());

        // Until the anchor is checked nothing new is written: records wait in the stash.
        Command<Protocol.AnchorRead>(OnAnchorRead);
        Command<Protocol.Record>(_ => Stash.Stash());
        Command<MonitorEvent>(_ => Stash.Stash());
        Command<Protocol.Flush>(_ => Stash.Stash());
        Command<Protocol.SettleAnchor>(_ => Stash.Stash());
        // The head is answered once the start check is done, so verify-chain never calls a chain valid
        // in the moment before the check appends its marker.
        Command<Protocol.GetHead>(_ => Stash.Stash());
        CommonCommands();
    }

    private void Serving()
    {
        Command<Protocol.Record>(record => Enqueue(record.Entry, Sender));
        Command<MonitorEvent>(OnMonitorEvent);
        Command<Protocol.Flush>(_ => Flush());
        Command<Protocol.GetHead>(_ => Sender.Tell(new Protocol.Head(_head, _subscribed)));
        Command<Protocol.SettleAnchor>(_ =>
        {
            _settleWaiters.Add(Sender);
            AnswerSettledWaiters();
        });
        CommonCommands();
    }

    private void CommonCommands()
    {
        Command<Protocol.AnchorWritten>(OnAnchorWritten);
        Command<SubscribeAck>(_ => _subscribed = true);
        Command<SaveSnapshotSuccess>(saved =>
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning("Audit head snapshot failed (recovery replays more): {0}", failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    protected override void PreStart()
    {
        if (_subscribeToMonitorBus) MonitorBus.Subscribe(Context.System, Self);
        base.PreStart();
    }

    protected override void PostStop()
    {
        if (_subscribeToMonitorBus) MonitorBus.Unsubscribe(Context.System, Self);
        base.PostStop();
    }

    private void ReadAnchor()
    {
        var anchor = _anchor;
        Task.Run(anchor.Read).PipeTo(Self,
            success: reading => new Protocol.AnchorRead(reading),
            failure: ex => new Protocol.AnchorRead(new AuditAnchorReading.Invalid($"cannot be read: {ex.GetBaseException().Message}", null, null)));
    }

    private void OnAnchorRead(Protocol.AnchorRead read)
    {
        var finding = AuditTailCheck.Find(read.Reading, _head, _time.GetUtcNow());
        if (finding is null)
        {
            if (read.Reading is AuditAnchorReading.Missing && _head.Sequence > 0)
                _log.Warning("No audit tail anchor ({0}); starting one at sequence {1}", _anchor.Path, _head.Sequence);
            StartServing(anchorCurrent: read.Reading is AuditAnchorReading.Valid { Head: var anchored } && anchored == _head);
        }
        else if (finding.AlreadyRecordedBy(_markersRecovered))
        {
            _log.Warning("{0} (already recorded by a marker in the chain; renewing the anchor)", finding.Message);
            StartServing();
        }
        else
        {
            _log.Error("{0}; recording {1} as sequence {2}", finding.Message, finding.Type, LastSequenceNr + 1);
            var marker = AuditChain.Seal(_key, finding.Marker(PersistenceId, _node), LastSequenceNr + 1, _time.GetUtcNow(), _head.Hash);
            Persist(marker, persisted =>
            {
                _head = new AuditHead(persisted.Sequence, persisted.Hash);
                var data = new Dictionary<string, string>(finding.Facts, StringComparer.Ordinal)
                {
                    ["marker.sequence"] = persisted.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                _mediator.Tell(new Publish(MonitorBus.Topic,
                    MonitorEvent.Create(NodeIdentity.Named(_node), finding.Type, Severity.Critical, PersistenceId, persisted.Time, data)));
                StartServing();
            });
        }
    }

    private void StartServing(bool anchorCurrent = false)
    {
        _markersRecovered.Clear();
        Become(Serving);
        Stash.UnstashAll();
        // Also when nothing was found: a missing or lagging anchor is brought up to the recovered head.
        if (_head.Sequence > 0 && !anchorCurrent) WriteAnchor(_head);
    }

    private void WriteAnchor(AuditHead head)
    {
        if (_anchorWriting)
        {
            _anchorPending = head;
            return;
        }
        _anchorWriting = true;
        var anchor = _anchor;
        Task.Run(() => anchor.Write(head)).PipeTo(Self,
            success: () => new Protocol.AnchorWritten(head, null),
            failure: ex => new Protocol.AnchorWritten(head, ex.GetBaseException().Message));
    }

    private void OnAnchorWritten(Protocol.AnchorWritten written)
    {
        _anchorWriting = false;
        if (written.Error is not null)
            _log.Warning("The audit tail anchor could not be written at sequence {0} (the next batch tries again): {1}", written.Head.Sequence, written.Error);
        if (_anchorPending is { } next)
        {
            _anchorPending = null;
            WriteAnchor(next);
        }
        AnswerSettledWaiters();
    }

    /// <summary>Answers <see cref="Protocol.SettleAnchor"/> once every record taken is persisted and the anchor names the head.</summary>
    private void AnswerSettledWaiters()
    {
        if (_settleWaiters.Count == 0 || _anchorWriting || _anchorPending is not null || _writing.Count > 0 || _waiting.Count > 0) return;
        foreach (var waiter in _settleWaiters) waiter.Tell(new Protocol.AnchorSettled(_head.Sequence));
        _settleWaiters.Clear();
    }

    private void OnMonitorEvent(MonitorEvent monitorEvent)
    {
        // In a fleet the topic carries every node's events; each node audits its own actions.
        // The writer's own markers are in the chain already, whatever ActionEventTypes says.
        if (monitorEvent.Node == _node && _actionEvents.Matches(monitorEvent.Type) && !AuditTailCheck.IsMarkerType(monitorEvent.Type))
            Enqueue(AuditEntries.FromMonitorEvent(monitorEvent), replyTo: null);
    }

    private void Enqueue(AuditEntry entry, IActorRef? replyTo)
    {
        _waiting.Add((entry, replyTo));
        if (_waiting.Count == 1) Self.Tell(Protocol.Flush.Instance);
    }

    private void Flush()
    {
        if (_waiting.Count == 0) return;
        var batch = _waiting.Take(Math.Max(1, _options.MaxBatch)).ToList();
        _waiting.RemoveRange(0, batch.Count);
        if (_waiting.Count > 0) Self.Tell(Protocol.Flush.Instance);

        var now = _time.GetUtcNow();
        var previous = _head.Hash;
        var sequence = LastSequenceNr;
        var records = new List<AuditRecord>(batch.Count);
        foreach (var (entry, replyTo) in batch)
        {
            var record = AuditChain.Seal(_key, entry, ++sequence, now, previous);
            previous = record.Hash;
            records.Add(record);
            _writing.Enqueue(replyTo);
        }

        var last = records[^1].Sequence;
        PersistAll(records, record =>
        {
            _head = new AuditHead(record.Sequence, record.Hash);
            _writing.Dequeue()?.Tell(new Protocol.Recorded(record.Sequence));
            if (_options.SnapshotEvery > 0 && record.Sequence % _options.SnapshotEvery == 0) SaveSnapshot(_head);
            if (record.Sequence == last) WriteAnchor(_head);
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "Audit record {0} could not be written; failing {1} waiting requests and restarting", sequenceNr, _writing.Count + _waiting.Count);
        FailWaiting(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "Audit record {0} was rejected by the journal", sequenceNr);
        // Rejection (a serialization failure) leaves the actor running and the head unchanged.
        while (_writing.Count > 0) _writing.Dequeue()?.Tell(new Status.Failure(cause));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private void FailWaiting(Exception cause)
    {
        while (_writing.Count > 0) _writing.Dequeue()?.Tell(new Status.Failure(cause));
        foreach (var (_, replyTo) in _waiting) replyTo?.Tell(new Status.Failure(cause));
        _waiting.Clear();
    }

    public static class Protocol
    {
        /// <summary>Appends <paramref name="Entry"/>; answered with <see cref="Recorded"/> once it is persisted, or a Status.Failure.</summary>
        public sealed record Record(AuditEntry Entry);

        public sealed record Recorded(long Sequence);

        public sealed record GetHead
        {
            public static readonly GetHead Instance = new();
        }

        /// <param name="Subscribed">Whether the monitor-topic subscription is live (events published before are not seen).</param>
        public sealed record Head(AuditHead Last, bool Subscribed);

        internal sealed record Flush : IDeadLetterSuppression
        {
            public static readonly Flush Instance = new();
        }

        /// <summary>
        /// Asked at shutdown: answered with <see cref="AnchorSettled"/> once what was taken is persisted and
        /// the tail anchor names the head, so a clean stop never leaves the anchor a batch behind.
        /// </summary>
        public sealed record SettleAnchor
        {
            public static readonly SettleAnchor Instance = new();
        }

        public sealed record AnchorSettled(long Sequence);

        internal sealed record AnchorRead(AuditAnchorReading Reading);

        /// <param name="Error">Null when the anchor now names <paramref name="Head"/>.</param>
        internal sealed record AnchorWritten(AuditHead Head, string? Error) : IDeadLetterSuppression;
    }
}
