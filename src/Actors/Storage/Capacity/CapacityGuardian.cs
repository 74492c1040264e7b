using System.Globalization;
using Akka.Actor;
using Akka.Event;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Actors.Storage.Capacity;

/// <summary>
/// <c>/user/storage/capacity</c>: watches each pool's used percent against warning / critical /
/// emergency with hysteresis, publishes <c>capacity.*</c> events when a level changes (and each pool's
/// first level since start, even <c>capacity.ok</c>, which ends what was reported before), and keeps the
/// emergency reserve (<see cref="EmergencyReserve"/>): created on request, released at once when a
/// pool reaches the emergency threshold, re-armed when the pool is back to ok.
/// <para>
/// Input is the <c>zpool list</c> the <see cref="ZfsHealthActor"/> already reads every refresh,
/// published on the local EventStream; so one zpool call feeds both, and the capacity route and the
/// health route always agree. Only the reserves are read here (<c>zfs get refreservation</c>).
/// Reserve changes run one at a time; requests that come meanwhile wait in the stash.
/// </para>
/// </summary>
public sealed class CapacityGuardian : ReceiveActor, IWithStash
{
    private readonly EmergencyReserve _reserve;
    private readonly CapacityOptions _options;
    private readonly CapacityThresholds _thresholds;
    private readonly TimeProvider _time;
    private readonly NodeIdentity _node;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _rearmWanted = [];

    // Pools whose automatic release failed: tried again at the next reading, not in a tight loop.
    private readonly HashSet<string> _releaseFailed = [];

    private CapacityState _state = CapacityState.Empty;
    private CapacityReport _report;
    private bool _reserveReadInFlight;
    private int _reserveVersion;
    private bool _busy;

    public CapacityGuardian(IZpool zpool, IZfs zfs, DPlaneOSOptions options, TimeProvider time, NodeIdentity node)
    {
        _reserve = new EmergencyReserve(zpool, zfs);
        _options = options.Capacity;
        _thresholds = _options.Thresholds;
        _time = time;
        _node = node;
        _report = CapacityReport.NotReadYet(_thresholds, _options.ReservePercent);

        Receive<ZfsHealthActor.Protocol.StatusObserved>(OnObserved);
        Receive<Protocol.GetReport>(_ => Sender.Tell(_report));
        Receive<Protocol.Reserve>(request => StartOrStash(Protocol.OperationKind.Reserve, request.Pool));
        Receive<Protocol.Release>(request => StartOrStash(Protocol.OperationKind.Release, request.Pool));
        Receive<Protocol.ReservesRead>(OnReservesRead);
        Receive<Protocol.OperationDone>(OnOperationDone);
    }

    public IStash Stash { get; set; } = null!;

    protected override void PreStart() =>
        Context.System.EventStream.Subscribe(Self, typeof(ZfsHealthActor.Protocol.StatusObserved));

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnObserved(ZfsHealthActor.Protocol.StatusObserved observed)
    {
        var (state, changes) = _state.Observe(observed.Reading.At, observed.Reading.List, _thresholds);
        _state = state;
        _releaseFailed.Clear();
        if (state.Error is not null) _log.Warning("Capacity not updated, zpool list failed: {0}", state.Error);
        foreach (var change in changes)
        {
            Publish(LevelEvent(change));
            if (change.Rising) _rearmWanted.Remove(change.Pool);
            else if (change.Recovered && _options.RearmOnRecovery) _rearmWanted.Add(change.Pool);
        }
        _rearmWanted.IntersectWith(_state.Levels.Keys);
        UpdateReport();
        StartReserveRead();
        StartAutomaticOperation();
    }

    private void StartReserveRead()
    {
        if (_reserveReadInFlight || _state.Levels.IsEmpty) return;
        _reserveReadInFlight = true;
        var version = _reserveVersion;
        _reserve.ReadAsync(_state.Levels.Keys.ToList(), _stopping.Token)
            .PipeTo(Self, success: reserves => new Protocol.ReservesRead(version, reserves), failure: ex => new Protocol.ReservesRead(version, null, ex));
    }

    private void OnReservesRead(Protocol.ReservesRead read)
    {
        _reserveReadInFlight = false;
        if (read.Failure is not null) throw new InvalidOperationException("Reading the emergency reserves failed unexpectedly", read.Failure);
        // A reserve change ran since this read started: what we read may be older than it; read again.
        if (read.Version != _reserveVersion)
        {
            StartReserveRead();
            return;
        }
        if (read.Reserves is null) return;
        _state = _state.WithReserves(read.Reserves);
        UpdateReport();
        StartAutomaticOperation();
    }

    /// <summary>Releases a reserve at emergency (first), or re-arms one after recovery; one at a time.</summary>
    private void StartAutomaticOperation()
    {
        if (_busy) return;
        if (_state.ReservesToRelease(_thresholds).FirstOrDefault(pool => !_releaseFailed.Contains(pool)) is { } full)
        {
            StartOperation(Protocol.OperationKind.AutoRelease, full, null);
            return;
        }
        var rearm = _rearmWanted.FirstOrDefault(pool => _state.Reserves.GetValueOrDefault(pool)?.State is ReserveState.Released);
        _rearmWanted.RemoveWhere(pool => _state.Reserves.GetValueOrDefault(pool)?.State is ReserveState.None or ReserveState.Reserved);
        if (rearm is not null)
        {
            _rearmWanted.Remove(rearm);
            StartOperation(Protocol.OperationKind.Rearm, rearm, null);
        }
    }

    private void StartOrStash(Protocol.OperationKind kind, string pool)
    {
        if (_busy)
        {
            Stash.Stash();
            return;
        }
        // Reserving on a pool already at emergency would only be released again at the next reading.
        if (kind == Protocol.OperationKind.Reserve && _state.Pools.FirstOrDefault(p => p.Name == pool) is { CapacityPercent: { } percent }
            && percent >= _thresholds.Emergency)
        {
            Sender.Tell(new ReserveOutcome(ReserveOutcomeKind.OutOfSpace, pool, EmergencyReserve.DatasetOf(pool), null,
                $"pool '{pool}' is {percent}% full, at or above the emergency threshold {_thresholds.Emergency}%: a reserve would be released again at once"));
            return;
        }
        StartOperation(kind, pool, Sender);
    }

    private void StartOperation(Protocol.OperationKind kind, string pool, IActorRef? replyTo)
    {
        _busy = true;
        _reserveVersion++;
        var work = kind is Protocol.OperationKind.Reserve or Protocol.OperationKind.Rearm
            ? _reserve.ReserveAsync(pool, _options.ReservePercent, _stopping.Token)
            : _reserve.ReleaseAsync(pool, _stopping.Token);
        work.PipeTo(Self,
            success: outcome => new Protocol.OperationDone(kind, outcome, replyTo),
            failure: ex => new Protocol.OperationDone(kind, ReserveOutcome.Failed(pool, ex.Message), replyTo));
    }

    private void OnOperationDone(Protocol.OperationDone done)
    {
        _busy = false;
        _reserveVersion++;
        var outcome = done.Outcome;
        var automatic = done.Kind is Protocol.OperationKind.AutoRelease or Protocol.OperationKind.Rearm;
        var staleReserves = false;
        if (outcome.Succeeded)
        {
            var released = done.Kind is Protocol.OperationKind.Release or Protocol.OperationKind.AutoRelease;
            var status = released
                ? new ReserveStatus(ReserveState.Released, EmergencyReserve.DatasetOf(outcome.Pool), 0)
                : new ReserveStatus(ReserveState.Reserved, EmergencyReserve.DatasetOf(outcome.Pool), outcome.Bytes);
            _state = _state.WithReserves(new Dictionary<string, ReserveStatus> { [outcome.Pool] = status });
            _log.Info("Emergency reserve of pool {0}: {1} ({2})", outcome.Pool, outcome.Message, automatic ? "automatic" : "on request");
            Publish(ReserveEvent(released ? "capacity.reserve-released" : "capacity.reserve-armed", released ? Severity.Warning : Severity.Info, outcome, automatic));
        }
        else if (automatic && outcome.Kind is ReserveOutcomeKind.NotReserved or ReserveOutcomeKind.AlreadyReserved)
        {
            // Someone changed the reserve by hand meanwhile: what we hold is stale. Deciding again before
            // the fresh read lands would repeat the same operation in a tight loop.
            _log.Info("Automatic {0} of pool {1} not needed: {2}", done.Kind, outcome.Pool, outcome.Message);
            staleReserves = true;
        }
        else if (automatic)
        {
            _log.Error("Automatic {0} of the emergency reserve of pool {1} failed: {2}", done.Kind, outcome.Pool, outcome.Message);
            if (done.Kind == Protocol.OperationKind.AutoRelease)
            {
                _releaseFailed.Add(outcome.Pool);
                Publish(ReserveEvent("capacity.reserve-release-failed", Severity.Critical, outcome, automatic));
            }
        }
        done.ReplyTo?.Tell(outcome);
        UpdateReport();
        Stash.UnstashAll();
        StartReserveRead();
        if (!staleReserves) StartAutomaticOperation();
    }

    private void UpdateReport() => _report = _state.Report(_thresholds, _options.ReservePercent);

    private void Publish(MonitorEvent monitorEvent) => MonitorBus.Publish(Context.System, monitorEvent);

    private MonitorEvent LevelEvent(CapacityChange change)
    {
        var data = new Dictionary<string, string>
        {
            ["pool"] = change.Pool,
            ["level"] = Name(change.To),
            ["previousLevel"] = change.FirstReading ? "unknown" : Name(change.From),
        };
        if (change.FirstReading) data["reason"] = "first reading since start";
        if (change.Now is { } pool)
        {
            Add(data, "percent", pool.CapacityPercent);
            Add(data, "size", pool.Size);
            Add(data, "used", pool.Allocated);
            Add(data, "free", pool.Free);
        }
        else
        {
            data["reason"] = "the pool is no longer listed";
        }
        if (Threshold(change.To) is { } threshold) data["threshold"] = threshold.ToString(CultureInfo.InvariantCulture);
        var (type, severity) = change.To switch
        {
            CapacityLevel.Warning => ("capacity.warning", Severity.Warning),
            CapacityLevel.Critical => ("capacity.critical", Severity.Critical),
            CapacityLevel.Emergency => ("capacity.emergency", Severity.Critical),
            _ => ("capacity.ok", Severity.Resolved),
        };
        return MonitorEvent.Create(_node, type, severity, change.Pool, _time.GetUtcNow(), data);
    }

    private MonitorEvent ReserveEvent(string type, Severity severity, ReserveOutcome outcome, bool automatic)
    {
        var data = new Dictionary<string, string>
        {
            ["pool"] = outcome.Pool,
            ["dataset"] = outcome.Dataset ?? EmergencyReserve.DatasetOf(outcome.Pool),
            ["automatic"] = automatic ? "true" : "false",
            ["message"] = outcome.Message,
        };
        if (type == "capacity.reserve-released") Add(data, "bytesFreed", outcome.Bytes);
        else Add(data, "bytes", outcome.Bytes);
        if (_state.Pools.FirstOrDefault(p => p.Name == outcome.Pool) is { } pool) Add(data, "percent", pool.CapacityPercent);
        return MonitorEvent.Create(_node, type, severity, outcome.Pool, _time.GetUtcNow(), data);
    }

    private double? Threshold(CapacityLevel level) => level switch
    {
        CapacityLevel.Warning => _thresholds.Warning,
        CapacityLevel.Critical => _thresholds.Critical,
        CapacityLevel.Emergency => _thresholds.Emergency,
        _ => null,
    };

    private static string Name(CapacityLevel level) => level.ToString().ToLowerInvariant();

    private static void Add(Dictionary<string, string> data, string key, long? value)
    {
        if (value is { } v) data[key] = v.ToString(CultureInfo.InvariantCulture);
    }

    public static class Protocol
    {
        /// <summary>The requests the gateway sends the guardian (registered as <see cref="CapacityGuardian"/>).</summary>
        public interface IRequest;

        /// <summary>Replies with the current <see cref="CapacityReport"/>.</summary>
        public sealed record GetReport : IRequest
        {
            public static readonly GetReport Instance = new();
        }

        /// <summary>Creates (or re-arms) the pool's emergency reserve; replies with a <see cref="ReserveOutcome"/>.</summary>
        public sealed record Reserve(string Pool) : IRequest;

        /// <summary>Releases the pool's emergency reserve (keeps the dataset); replies with a <see cref="ReserveOutcome"/>.</summary>
        public sealed record Release(string Pool) : IRequest;

        internal enum OperationKind { Reserve, Release, AutoRelease, Rearm }

        internal sealed record ReservesRead(int Version, IReadOnlyDictionary<string, ReserveStatus>? Reserves, Exception? Failure = null);

        internal sealed record OperationDone(OperationKind Kind, ReserveOutcome Outcome, IActorRef? ReplyTo);
    }
}
