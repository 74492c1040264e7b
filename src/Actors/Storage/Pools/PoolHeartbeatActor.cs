using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>
/// <c>/user/storage/pools/&lt;pool&gt;</c>: probes one pool every interval (mount lookup, then a
/// write-fsync-read on the prober's own thread) and publishes <see cref="PoolEvents"/> when the
/// pool's health changes. A deadline timer turns a probe that does not come back into a failure;
/// no second probe starts while one is out. On start it asks the <paramref name="keeper"/> (the
/// <see cref="PoolManager"/>) for the state it last reported, so a restarted heartbeat goes on
/// where the crashed one stopped and never re-sends an event.
/// </summary>
public sealed class PoolHeartbeatActor(string pool, IActorRef keeper, HeartbeatOptions options, IZfs zfs, IPoolProber prober, TimeProvider time, NodeIdentity node)
    : ReceiveActor, IWithTimers, IWithStash
{
    private const string TickTimer = "tick";
    private const string DeadlineTimer = "deadline";

    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private PoolHeartbeatState _state = PoolHeartbeatState.Initial;
    private PoolMounts? _mounts;
    private long _probeId;
    private bool _probeInFlight;
    private DateTimeOffset? _probeStartedAt;

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        Become(Resuming);
        keeper.Tell(new PoolManager.Protocol.ResumeHeartbeat(pool));
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Resuming()
    {
        Receive<PoolManager.Protocol.HeartbeatResumed>(resumed =>
        {
            _state = resumed.State;
            _mounts = resumed.Mounts;
            Become(Running);
            Stash.UnstashAll();
            Timers.StartPeriodicTimer(TickTimer, Protocol.Tick.Instance, TimeSpan.Zero, options.Interval);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Running()
    {
        Receive<Protocol.Tick>(_ => StartProbe());
        Receive<Protocol.MountsRead>(OnMountsRead);
        Receive<Protocol.IoProbed>(OnIoProbed);
        Receive<Protocol.DeadlinePassed>(deadline =>
        {
            if (!_probeInFlight || deadline.ProbeId != _probeId) return;
            _log.Warning("Heartbeat probe of pool {0} still out after {1}", pool, options.Deadline);
            Apply(new HeartbeatObservation.ProbeHung(options.Deadline));
        });
        Receive<Protocol.ProbeCrashed>(crashed =>
            throw new InvalidOperationException($"Heartbeat probe of pool {pool} failed unexpectedly", crashed.Exception));
        Receive<Protocol.PoolStateRead>(read => Apply(new HeartbeatObservation.StateRead(read.State)));
        Receive<Protocol.GetStatus>(_ => Sender.Tell(Report()));
    }

    private void StartProbe()
    {
        // A probe still out (hung) keeps the pool failed; starting another would only add a stuck thread.
        if (_probeInFlight) return;
        _probeInFlight = true;
        _probeId++;
        _probeStartedAt = time.GetUtcNow();
        var probeId = _probeId;
        Timers.StartSingleTimer(DeadlineTimer, new Protocol.DeadlinePassed(probeId), options.Deadline);
        zfs.GetAsync(PoolMounts.Properties, pool, _stopping.Token)
            .PipeTo(Self, success: lookup => new Protocol.MountsRead(probeId, lookup), failure: ex => new Protocol.ProbeCrashed(ex));
    }

    private void OnMountsRead(Protocol.MountsRead read)
    {
        if (read.ProbeId != _probeId) return;
        if (!read.Lookup.IsOk) _log.Warning("Mount lookup of pool {0} failed: {1}", pool, read.Lookup.Error);
        _mounts = PoolMounts.FromLookup(pool, read.Lookup, _mounts);
        if (_mounts.ProbeDirectory is not { } directory)
        {
            FinishProbe();
            Apply(new HeartbeatObservation.NotMounted(_mounts.NotProbeableReason ?? "not mounted"));
            return;
        }
        var probeId = read.ProbeId;
        prober.ProbeAsync(directory)
            .PipeTo(Self, success: result => new Protocol.IoProbed(probeId, result), failure: ex => new Protocol.ProbeCrashed(ex));
    }

    private void OnIoProbed(Protocol.IoProbed probed)
    {
        if (probed.ProbeId != _probeId) return;
        FinishProbe();
        Apply(probed.Result switch
        {
            { Succeeded: true } => new HeartbeatObservation.ProbeSucceeded(probed.Result.Took),
            { TamperedPath: { } path } => new HeartbeatObservation.ProbeTampered(path, probed.Result.Failure ?? $"{path} is not the daemon's"),
            _ => new HeartbeatObservation.ProbeFailed(probed.Result.Failure ?? "probe failed"),
        });
    }

    private void FinishProbe()
    {
        _probeInFlight = false;
        _probeStartedAt = null;
        Timers.Cancel(DeadlineTimer);
    }

    private void Apply(HeartbeatObservation observation)
    {
        var now = time.GetUtcNow();
        var transition = _state.Apply(observation, now);
        _state = transition.State;
        foreach (var signal in transition.Signals)
        {
            if (signal.Severity is Severity.Warning or Severity.Critical) _log.Warning("Pool {0}: {1} ({2})", pool, signal.Type, signal.Reason);
            else _log.Info("Pool {0}: {1} ({2})", pool, signal.Type, signal.Reason);
            MonitorBus.Publish(Context.System, ToEvent(signal, now));
        }
        keeper.Tell(Report());
    }

    private MonitorEvent ToEvent(PoolSignal signal, DateTimeOffset at)
    {
        var data = new Dictionary<string, string>
        {
            [PoolEvents.StateKey] = _state.PoolState ?? "unknown",
            [PoolEvents.MountpointsKey] = string.Join('\n', _mounts?.Mountpoints ?? []),
        };
        if (signal.Reason is not null) data[PoolEvents.ReasonKey] = signal.Reason;
        if (signal.Path is not null) data[PoolEvents.PathKey] = signal.Path;
        return MonitorEvent.Create(node, signal.Type, signal.Severity, pool, at, data);
    }

    private PoolManager.Protocol.HeartbeatReport Report() => new(pool, _state, _mounts, _probeStartedAt);

    public static class Protocol
    {
        /// <summary>The pool's state from the latest <c>zpool status</c>, sent by the <see cref="PoolManager"/>.</summary>
        public sealed record PoolStateRead(string State);

        /// <summary>Replies with a <see cref="PoolManager.Protocol.HeartbeatReport"/>.</summary>
        public sealed record GetStatus
        {
            public static readonly GetStatus Instance = new();
        }

        internal sealed record Tick : IDeadLetterSuppression
        {
            public static readonly Tick Instance = new();
        }

        internal sealed record MountsRead(long ProbeId, HostResult<IReadOnlyList<ZfsDatasetProperties>> Lookup);

        internal sealed record IoProbed(long ProbeId, ProbeIoResult Result);

        internal sealed record DeadlinePassed(long ProbeId) : IDeadLetterSuppression;

        internal sealed record ProbeCrashed(Exception Exception);
    }
}
