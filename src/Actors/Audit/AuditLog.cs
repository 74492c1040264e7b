using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;

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
/// </remarks>
public sealed class AuditLog : ReceivePersistentActor
{
    private readonly AuditKey _key;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly string _node;
    private readonly bool _subscribeToMonitorBus;
    private readonly EventTypePatterns _actionEvents;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<(AuditEntry Entry, IActorRef? ReplyTo)> _waiting = [];
    private readonly Queue<IActorRef?> _writing = new();
    private AuditHead _head = AuditHead.Genesis;
    private bool _subscribed;

    public AuditLog(AuditKey key, AuditOptions options, TimeProvider time, string node, bool subscribeToMonitorBus)
    {
        _key = key;
        _options = options;
        _time = time;
        _node = node;
        _subscribeToMonitorBus = subscribeToMonitorBus;
        _actionEvents = new EventTypePatterns(options.EffectiveActionEventTypes);
        PersistenceId = $"audit-{node}";

        Recover<SnapshotOffer>(offer => _head = (AuditHead)offer.Snapshot);
        Recover<AuditRecord>(record => _head = new AuditHead(record.Sequence, record.Hash));

        Command<Protocol.Record>(record => Enqueue(record.Entry, Sender));
        Command<MonitorEvent>(OnMonitorEvent);
        Command<Protocol.Flush>(_ => Flush());
        Command<Protocol.GetHead>(_ => Sender.Tell(new Protocol.Head(_head, _subscribed)));
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

    private void OnMonitorEvent(MonitorEvent monitorEvent)
    {
        // In a fleet the topic carries every node's events; each node audits its own actions.
        if (monitorEvent.Node == _node && _actionEvents.Matches(monitorEvent.Type))
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

        PersistAll(records, record =>
        {
            _head = new AuditHead(record.Sequence, record.Hash);
            _writing.Dequeue()?.Tell(new Protocol.Recorded(record.Sequence));
            if (_options.SnapshotEvery > 0 && record.Sequence % _options.SnapshotEvery == 0) SaveSnapshot(_head);
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
    }
}
