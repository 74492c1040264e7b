using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Heartbeat;
using DPlaneOS.Actors.Persistence;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>
/// <c>/user/storage/docker</c>: on this node's <c>pool.failed</c> it stops the running containers that
/// use the pool (or all, per <see cref="DockerOptions.StopMode"/>) once per failure window, journals
/// them and publishes <c>docker.stopped</c>; on <c>pool.recovered</c> (or <c>pool.healthy</c>, the first
/// healthy probe after a restart of the daemon) it starts them again (<see cref="DockerOptions.RestartOnRecovery"/>)
/// or lists them in <c>docker.restartable</c>. Closing a window is a resolution (<c>docker.restarted</c>,
/// <c>docker.restartable</c> or <c>docker.window-closed</c>), so the alert router ends the
/// <c>docker.stopped</c> alert. An unreachable Docker is a <c>docker.unreachable</c> warning and a bounded
/// retry with backoff, never a crash loop; it is resolved when Docker answers again for that pool. The
/// journal keeps open windows across restarts of the daemon.
/// </summary>
public sealed class DockerGuard : ReceivePersistentActor, IWithTimers
{
    private readonly DockerOptions _options;
    private readonly DockerOperations _operations;
    private readonly TimeProvider _time;
    private readonly string _node;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    // Pools with a docker.unreachable warning out that no resolution has ended yet (this run of the daemon only).
    private readonly HashSet<string> _unreachableReported = new(StringComparer.Ordinal);
    private DockerGuardState _state = DockerGuardState.Empty;

    public DockerGuard(DPlaneOSOptions options, IDockerEngine engine, TimeProvider time)
    {
        _options = options.Docker;
        _operations = new DockerOperations(engine, options.Docker);
        _time = time;
        _node = Environment.MachineName;

        Recover<ContainersStopped>(stopped => _state = _state.Apply(stopped));
        Recover<FailureWindowClosed>(closed => _state = _state.Apply(closed));

        Command<SubscribeAck>(_ => { });
        Command<MonitorEvent>(OnMonitorEvent);
        Command<Protocol.StopFinished>(OnStopFinished);
        Command<Protocol.StartFinished>(OnStartFinished);
        Command<Protocol.Retry>(retry =>
        {
            if (!_pending.TryGetValue(retry.Pool, out var pending)) return;
            // Recovered while waiting to retry a stop: nothing was stopped, nothing to do.
            if (pending is { Action: PendingAction.Stop, Then: FollowUp.Recover }) _pending.Remove(retry.Pool);
            else Run(pending);
        });
        Command<Protocol.GetWindows>(_ => Sender.Tell(new Protocol.Windows(
            _state.OpenWindows.Values.OrderBy(w => w.Pool, StringComparer.Ordinal).ToList(),
            _pending.Values.OrderBy(p => p.Pool, StringComparer.Ordinal).Select(p => new Protocol.Operation(p.Pool, Verb(p.Action), p.Attempt)).ToList())));
    }

    public override string PersistenceId => $"docker-guard-{_node}";

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => MonitorBus.Subscribe(Context.System, Self);

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnMonitorEvent(MonitorEvent monitorEvent)
    {
        // The topic spans a fleet; only this node's pools concern this node's containers.
        if (monitorEvent.Node != _node) return;
        var pool = monitorEvent.Subject;
        switch (monitorEvent.Type)
        {
            case PoolEvents.Failed when _pending.TryGetValue(pool, out var pending):
                // Failing again while its containers are being started: stop them again once that is done.
                _pending[pool] = pending.Action == PendingAction.Start
                    ? pending with { Then = FollowUp.Fail, Mountpoints = PoolEvents.Mountpoints(monitorEvent) }
                    : pending with { Then = FollowUp.None };
                break;
            case PoolEvents.Failed when _state.OpenWindows.ContainsKey(pool):
                _log.Info("Pool {0} failed again within its failure window; containers were already stopped", pool);
                break;
            case PoolEvents.Failed:
                Run(new Pending(PendingAction.Stop, pool, 1, PoolEvents.Mountpoints(monitorEvent), [], FollowUp.None));
                break;
            // pool.healthy is the first healthy probe after a restart of the daemon: it ends a window the journal kept open.
            case PoolEvents.Recovered or PoolEvents.Healthy when _pending.TryGetValue(pool, out var pending):
                _pending[pool] = pending with { Then = pending.Action == PendingAction.Stop ? FollowUp.Recover : FollowUp.None };
                break;
            case PoolEvents.Recovered or PoolEvents.Healthy when _state.OpenWindows.TryGetValue(pool, out var window):
                Recover(window);
                break;
        }
    }

    private void Run(Pending pending)
    {
        _pending[pending.Pool] = pending;
        var pool = pending.Pool;
        if (pending.Action == PendingAction.Stop)
        {
            _operations.StopAffectedAsync(pending.Mountpoints, _stopping.Token)
                .PipeTo(Self, success: result => new Protocol.StopFinished(pool, result));
        }
        else
        {
            _operations.StartAsync(pending.Containers, _stopping.Token)
                .PipeTo(Self, success: result => new Protocol.StartFinished(pool, result));
        }
    }

    private void OnStopFinished(Protocol.StopFinished finished)
    {
        if (!_pending.TryGetValue(finished.Pool, out var pending)) return;
        var result = finished.Result;
        if (result.UnreachableError is { } error)
        {
            // Recovered before Docker answered: nothing was stopped, nothing to do.
            if (pending.Then == FollowUp.Recover || !RetryOrGiveUp(pending, error)) _pending.Remove(finished.Pool);
            return;
        }
        _pending.Remove(finished.Pool);
        Persist(new ContainersStopped(finished.Pool, _options.StopMode, result.Done, result.Failed, _time.GetUtcNow()), stopped =>
        {
            _state = _state.Apply(stopped);
            _log.Warning("Pool {0} failed: stopped {1} container(s) ({2} could not be stopped)", stopped.Pool, stopped.Stopped.Count, stopped.NotStopped.Count);
            // Docker answered: end the unreachable warning first, so the resolution cannot end docker.stopped.
            if (_unreachableReported.Remove(stopped.Pool))
                Publish(DockerEvents.Reachable, Severity.Resolved, stopped.Pool, new Dictionary<string, string> { [DockerEvents.PoolKey] = stopped.Pool });
            var data = ContainerData(stopped.Pool, stopped.Stopped, stopped.NotStopped);
            data[DockerEvents.ModeKey] = stopped.Mode.ToString().ToLowerInvariant();
            data[PoolEvents.MountpointsKey] = string.Join('\n', pending.Mountpoints);
            var blind = stopped.Mode == DockerStopMode.Pool && pending.Mountpoints.Count == 0;
            if (blind) data[DockerEvents.ErrorKey] = "the pool's mountpoints are unknown (it was never seen mounted), so no container could be matched";
            Publish(DockerEvents.Stopped, blind || stopped.Stopped.Count + stopped.NotStopped.Count > 0 ? Severity.Warning : Severity.Info, stopped.Pool, data);
            if (pending.Then == FollowUp.Recover) Recover(_state.OpenWindows[stopped.Pool]);
        });
    }

    private void Recover(FailureWindow window)
    {
        if (_options.RestartOnRecovery && window.Stopped.Count > 0)
        {
            Run(new Pending(PendingAction.Start, window.Pool, 1, [], window.Stopped, FollowUp.None));
            return;
        }
        Persist(new FailureWindowClosed(window.Pool, [], [], _time.GetUtcNow()), closed =>
        {
            _state = _state.Apply(closed);
            _unreachableReported.Remove(window.Pool);
            Publish(window.Stopped.Count > 0 ? DockerEvents.Restartable : DockerEvents.WindowClosed, Severity.Resolved, window.Pool,
                ContainerData(window.Pool, window.Stopped, []));
        });
    }

    private void OnStartFinished(Protocol.StartFinished finished)
    {
        if (!_pending.TryGetValue(finished.Pool, out var pending)) return;
        var result = finished.Result;
        string? gaveUpError = null;
        if (result.UnreachableError is { } error)
        {
            // Giving up is reported after the window's resolution, which would otherwise end the warning.
            if (RetryOrGiveUp(pending, error, reportGiveUp: false)) return;
            gaveUpError = error;
            result = new DockerOperationResult(null, [], pending.Containers.Select(c => new ContainerFailure(c.Id, c.Name, error)).ToList());
        }
        _pending.Remove(finished.Pool);
        Persist(new FailureWindowClosed(finished.Pool, result.Done, result.Failed, _time.GetUtcNow()), closed =>
        {
            _state = _state.Apply(closed);
            _log.Info("Pool {0} recovered: started {1} container(s) again ({2} could not be started)", closed.Pool, closed.Restarted.Count, closed.NotRestarted.Count);
            _unreachableReported.Remove(closed.Pool);
            if (closed.Restarted.Count > 0)
                Publish(DockerEvents.Restarted, Severity.Resolved, closed.Pool, ContainerData(closed.Pool, closed.Restarted, closed.NotRestarted));
            if (closed.NotRestarted.Count > 0)
            {
                var notRestarted = closed.NotRestarted.Select(f => new ContainerRef(f.Id, f.Name)).ToList();
                Publish(DockerEvents.Restartable, Severity.Resolved, closed.Pool, ContainerData(closed.Pool, notRestarted, closed.NotRestarted));
            }
            if (gaveUpError is not null) PublishUnreachable(pending, gaveUpError, gaveUp: true);
            if (pending.Then == FollowUp.Fail) Run(new Pending(PendingAction.Stop, closed.Pool, 1, pending.Mountpoints, [], FollowUp.None));
        });
    }

    /// <summary>
    /// Schedules the next attempt (true) or says the guard gives up (false). Warns on the first and last failure only;
    /// the last one only when <paramref name="reportGiveUp"/> (else the caller reports it).
    /// </summary>
    private bool RetryOrGiveUp(Pending pending, string error, bool reportGiveUp = true)
    {
        var gaveUp = pending.Attempt >= _options.MaxAttempts;
        if (!gaveUp)
        {
            _pending[pending.Pool] = pending with { Attempt = pending.Attempt + 1 };
            Timers.StartSingleTimer($"retry-{pending.Pool}", new Protocol.Retry(pending.Pool), Backoff(pending.Attempt));
        }
        if (gaveUp ? reportGiveUp : pending.Attempt == 1) PublishUnreachable(pending, error, gaveUp);
        return !gaveUp;
    }

    private void PublishUnreachable(Pending pending, string error, bool gaveUp)
    {
        _log.Warning("Docker unreachable while trying to {0} containers of pool {1} (attempt {2}): {3}", Verb(pending.Action), pending.Pool, pending.Attempt, error);
        _unreachableReported.Add(pending.Pool);
        Publish(DockerEvents.Unreachable, Severity.Warning, pending.Pool, new Dictionary<string, string>
        {
            [DockerEvents.PoolKey] = pending.Pool,
            [DockerEvents.ActionKey] = Verb(pending.Action),
            [DockerEvents.ErrorKey] = error,
            [DockerEvents.AttemptKey] = pending.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DockerEvents.GaveUpKey] = gaveUp ? "true" : "false",
        });
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.RetryMinBackoff * Math.Pow(2, Math.Min(attempt - 1, 16));
        return delay < _options.RetryMaxBackoff ? delay : _options.RetryMaxBackoff;
    }

    private static string Verb(PendingAction action) => action == PendingAction.Stop ? "stop" : "start";

    private static Dictionary<string, string> ContainerData(string pool, IReadOnlyList<ContainerRef> containers, IReadOnlyList<ContainerFailure> failures)
    {
        var data = new Dictionary<string, string>
        {
            [DockerEvents.PoolKey] = pool,
            [DockerEvents.CountKey] = containers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DockerEvents.IdsKey] = string.Join(',', containers.Select(c => c.Id)),
            [DockerEvents.NamesKey] = string.Join(',', containers.Select(c => c.Name)),
        };
        if (failures.Count > 0) data[DockerEvents.FailuresKey] = string.Join('\n', failures.Select(f => $"{f.Name}: {f.Error}"));
        return data;
    }

    private void Publish(string type, Severity severity, string pool, IReadOnlyDictionary<string, string> data) =>
        MonitorBus.Publish(Context.System, MonitorEvent.Create(type, severity, pool, _time.GetUtcNow(), data));

    private enum PendingAction
    {
        Stop,
        Start,
    }

    /// <summary>What to do when the pending operation ends, because the pool changed meanwhile.</summary>
    private enum FollowUp
    {
        None,
        Recover,
        Fail,
    }

    private sealed record Pending(PendingAction Action, string Pool, int Attempt, IReadOnlyList<string> Mountpoints, IReadOnlyList<ContainerRef> Containers, FollowUp Then);

    public static class Protocol
    {
        /// <summary>Replies with <see cref="Windows"/>.</summary>
        public sealed record GetWindows
        {
            public static readonly GetWindows Instance = new();
        }

        /// <param name="Open">Pools whose containers are stopped now.</param>
        /// <param name="Running">Stops and starts under way (or waiting to retry), with the attempt under way or next.</param>
        public sealed record Windows(IReadOnlyList<FailureWindow> Open, IReadOnlyList<Operation> Running);

        public sealed record Operation(string Pool, string Action, int Attempt);

        internal sealed record StopFinished(string Pool, DockerOperationResult Result);

        internal sealed record StartFinished(string Pool, DockerOperationResult Result);

        internal sealed record Retry(string Pool) : IDeadLetterSuppression;
    }
}
