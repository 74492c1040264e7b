using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Zfs;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>
/// <c>/user/storage/pools</c>: keeps one <see cref="PoolHeartbeatActor"/> per imported pool. The pool
/// set comes from the <see cref="ZfsHealthActor"/>'s status reads (<see cref="Protocol.PoolsObserved"/>
/// on the local EventStream): one zpool reader for the whole daemon, so the heartbeats see the same
/// states the health routes serve, and a pool imported later is found within one status refresh.
/// Each heartbeat runs under its own backoff supervisor, so a crash in one never touches another.
/// The last state each heartbeat reported is kept here, where a heartbeat's restart cannot lose it.
/// </summary>
public sealed class PoolManager(HeartbeatOptions options, IZfs zfs, IPoolProber prober, TimeProvider time, NodeIdentity node) : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Supervision _supervision = Supervision.For(Context.System);
    private readonly Dictionary<string, IActorRef> _heartbeats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Protocol.HeartbeatReport> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _stoppingHeartbeats = [];

    protected override void PreStart()
    {
        Become(Managing);
        Context.System.EventStream.Subscribe(Self, typeof(Protocol.PoolsObserved));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Managing()
    {
        Receive<Protocol.PoolsObserved>(Reconcile);
        Receive<Protocol.ResumeHeartbeat>(resume =>
        {
            var last = _reports.GetValueOrDefault(resume.Pool);
            Sender.Tell(new Protocol.HeartbeatResumed(last?.State ?? PoolHeartbeatState.Initial, last?.Mounts));
        });
        Receive<Protocol.HeartbeatReport>(report => _reports[report.Pool] = report);
        Receive<Terminated>(terminated =>
        {
            if (!_stoppingHeartbeats.Remove(terminated.ActorRef)) _supervision.GaveUp(terminated.ActorRef);
        });
        Receive<Protocol.GetHeartbeats>(_ => Sender.Tell(new Protocol.Heartbeats(
            _heartbeats.Keys.Order(StringComparer.Ordinal)
                .Select(pool => _reports.GetValueOrDefault(pool) ?? new Protocol.HeartbeatReport(pool, PoolHeartbeatState.Initial, null, null))
                .ToList())));
    }

    private void Reconcile(Protocol.PoolsObserved observed)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in observed.Pools)
        {
            if (!options.Watches(pool.Name)) continue;
            if (NameRules.PoolNameError(pool.Name) is { } error)
            {
                _log.Warning("Not probing pool {0}: {1}", pool.Name, error);
                continue;
            }
            present.Add(pool.Name);
            if (!_heartbeats.TryGetValue(pool.Name, out var heartbeat))
            {
                // Exported and imported again before the old heartbeat finished stopping: next refresh.
                if (_stoppingHeartbeats.ContainsValue(pool.Name)) continue;
                _log.Info("Pool {0} found; starting its heartbeat", pool.Name);
                heartbeat = _supervision.RestartOnFailure(Context, HeartbeatProps(pool.Name), pool.Name);
                _heartbeats[pool.Name] = heartbeat;
            }
            heartbeat.Tell(new PoolHeartbeatActor.Protocol.PoolStateRead(pool.State));
        }

        foreach (var gone in _heartbeats.Keys.Where(pool => !present.Contains(pool)).ToList())
        {
            // Its last state stays in _reports: a pool exported while failed and imported again resumes failed.
            _log.Info("Pool {0} is gone (exported or destroyed); stopping its heartbeat", gone);
            var heartbeat = _heartbeats[gone];
            Context.Stop(heartbeat);
            _stoppingHeartbeats[heartbeat] = gone;
            _heartbeats.Remove(gone);
        }
    }

    private Props HeartbeatProps(string pool) =>
        Props.Create(() => new PoolHeartbeatActor(pool, Self, options, zfs, prober, time, node));

    public static class Protocol
    {
        /// <summary>
        /// Published by <see cref="ZfsHealthActor"/> on the local EventStream after every successful status read:
        /// the pools zpool lists now. The heartbeats' discovery (imported pools get one, exported pools lose theirs).
        /// </summary>
        public sealed record PoolsObserved(DateTimeOffset At, IReadOnlyList<PoolStatus> Pools);

        /// <summary>Replies with <see cref="Heartbeats"/>, one report per watched pool.</summary>
        public sealed record GetHeartbeats
        {
            public static readonly GetHeartbeats Instance = new();
        }

        public sealed record Heartbeats(IReadOnlyList<HeartbeatReport> Pools);

        /// <summary>What a heartbeat last knew; it sends one after every observation.</summary>
        /// <param name="ProbeOutSince">When the probe now out started; null when none is out.</param>
        public sealed record HeartbeatReport(string Pool, PoolHeartbeatState State, PoolMounts? Mounts, DateTimeOffset? ProbeOutSince);

        /// <summary>A starting heartbeat asks for the state its predecessor reported.</summary>
        public sealed record ResumeHeartbeat(string Pool);

        public sealed record HeartbeatResumed(PoolHeartbeatState State, PoolMounts? Mounts);
    }
}
