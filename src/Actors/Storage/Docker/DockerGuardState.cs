using System.Collections.Immutable;
using System.Globalization;
using DPlaneOS.Actors.Storage.Pools;

namespace DPlaneOS.Actors.Storage.Docker;

public sealed record ContainerRef(string Id, string Name);

public sealed record ContainerFailure(string Id, string Name, string Error);

/// <summary>A pool's failure window: opened when its containers were stopped, closed when the pool recovered.</summary>
public sealed record FailureWindow(string Pool, DateTimeOffset OpenedAt, DockerStopMode Mode, IReadOnlyList<ContainerRef> Stopped, IReadOnlyList<ContainerFailure> NotStopped);

/// <summary>Journal: containers stopped because <see cref="Pool"/> failed (opens its window).</summary>
[PersistedAs("docker.containers-stopped.v1")]
public sealed record ContainersStopped(
    string Pool, DockerStopMode Mode, IReadOnlyList<ContainerRef> Stopped, IReadOnlyList<ContainerFailure> NotStopped, DateTimeOffset At) : IPersistedEvent;

/// <summary>Journal: <see cref="Pool"/> recovered (closes its window), with the containers started again, if any.</summary>
[PersistedAs("docker.window-closed.v1")]
public sealed record FailureWindowClosed(
    string Pool, IReadOnlyList<ContainerRef> Restarted, IReadOnlyList<ContainerFailure> NotRestarted, DateTimeOffset At) : IPersistedEvent;

/// <summary>
/// The Docker guard's decisions as an immutable value. <see cref="OpenWindows"/> is journalled (<see cref="Apply"/>);
/// <see cref="Pending"/> (stops and starts under way or waiting to retry, with what to do after them) and
/// <see cref="UnreachableReported"/> (pools with a <c>docker.unreachable</c> warning no resolution has ended)
/// last for one run of the daemon. <see cref="Decide"/> turns an input into the next state and the effects
/// the actor carries out; nothing here reads a clock or does I/O.
/// </summary>
public sealed record DockerGuardState(ImmutableDictionary<string, FailureWindow> OpenWindows)
{
    public static readonly DockerGuardState Empty = new(ImmutableDictionary.Create<string, FailureWindow>(StringComparer.Ordinal));

    public ImmutableDictionary<string, PendingOperation> Pending { get; init; } = ImmutableDictionary.Create<string, PendingOperation>(StringComparer.Ordinal);

    public ImmutableHashSet<string> UnreachableReported { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    public DockerGuardState Apply(IPersistedEvent recorded) => recorded switch
    {
        ContainersStopped stopped => this with
        {
            OpenWindows = OpenWindows.SetItem(stopped.Pool, new FailureWindow(stopped.Pool, stopped.At, stopped.Mode, stopped.Stopped, stopped.NotStopped)),
        },
        FailureWindowClosed closed => this with { OpenWindows = OpenWindows.Remove(closed.Pool) },
        _ => this,
    };

    public DockerGuardDecision Decide(DockerGuardInput input, DateTimeOffset now, DockerOptions options)
    {
        var step = new Step(this, options, now);
        switch (input)
        {
            case DockerGuardInput.PoolFailed failed: step.PoolFailed(failed); break;
            case DockerGuardInput.PoolRecovered recovered: step.PoolRecovered(recovered.Pool); break;
            case DockerGuardInput.StopFinished finished: step.StopFinished(finished); break;
            case DockerGuardInput.StartFinished finished: step.StartFinished(finished); break;
            case DockerGuardInput.RetryDue retry: step.RetryDue(retry.Pool); break;
        }
        return new DockerGuardDecision(step.State, step.Effects);
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: doubling from the minimum, capped.</summary>
    public static TimeSpan Backoff(int attempt, DockerOptions options)
    {
        var delay = options.RetryMinBackoff * Math.Pow(2, Math.Min(attempt - 1, 16));
        return delay < options.RetryMaxBackoff ? delay : options.RetryMaxBackoff;
    }

    /// <summary>One decision being made: the state so far and the effects so far.</summary>
    private sealed class Step(DockerGuardState state, DockerOptions options, DateTimeOffset now)
    {
        public DockerGuardState State { get; private set; } = state;

        public List<DockerGuardEffect> Effects { get; } = [];

        public void PoolFailed(DockerGuardInput.PoolFailed failed)
        {
            var pool = failed.Pool;
            if (State.Pending.TryGetValue(pool, out var pending))
            {
                // Failing again while its containers are being started: stop them again once that is done.
                SetPending(pending.Action == DockerAction.Start
                    ? pending with { Then = DockerFollowUp.Fail, Mountpoints = failed.Mountpoints }
                    : pending with { Then = DockerFollowUp.None });
            }
            else if (State.OpenWindows.ContainsKey(pool))
            {
                Log(LogLevel.InfoLevel, "Pool {0} failed again within its failure window; containers were already stopped", pool);
            }
            else
            {
                Run(new PendingOperation(DockerAction.Stop, pool, 1, failed.Mountpoints, [], DockerFollowUp.None));
            }
        }

        public void PoolRecovered(string pool)
        {
            if (State.Pending.TryGetValue(pool, out var pending))
                SetPending(pending with { Then = pending.Action == DockerAction.Stop ? DockerFollowUp.Recover : DockerFollowUp.None });
            else if (State.OpenWindows.TryGetValue(pool, out var window))
                Recover(window);
        }

        public void RetryDue(string pool)
        {
            if (!State.Pending.TryGetValue(pool, out var pending)) return;
            // Recovered while waiting to retry a stop: nothing was stopped, nothing to do.
            if (pending is { Action: DockerAction.Stop, Then: DockerFollowUp.Recover }) RemovePending(pool);
            else Run(pending);
        }

        public void StopFinished(DockerGuardInput.StopFinished finished)
        {
            if (!State.Pending.TryGetValue(finished.Pool, out var pending)) return;
            var result = finished.Result;
            if (result.UnreachableError is { } error)
            {
                // Recovered before Docker answered: nothing was stopped, nothing to do.
                if (pending.Then == DockerFollowUp.Recover || !RetryOrGiveUp(pending, error)) RemovePending(finished.Pool);
                return;
            }
            RemovePending(finished.Pool);
            var stopped = new ContainersStopped(finished.Pool, options.StopMode, result.Done, result.Failed, now);
            Record(stopped);
            Log(LogLevel.WarningLevel, "Pool {0} failed: stopped {1} container(s) ({2} could not be stopped)", stopped.Pool, stopped.Stopped.Count, stopped.NotStopped.Count);
            // Docker answered: end the unreachable warning first, so the resolution cannot end docker.stopped.
            if (State.UnreachableReported.Contains(stopped.Pool))
            {
                ResolveUnreachable(stopped.Pool);
                Publish(DockerEvents.Reachable, Severity.Resolved, stopped.Pool, new Dictionary<string, string> { [DockerEvents.PoolKey] = stopped.Pool });
            }
            var data = ContainerData(stopped.Pool, stopped.Stopped, stopped.NotStopped);
            data[DockerEvents.ModeKey] = stopped.Mode.ToString().ToLowerInvariant();
            data[PoolEvents.MountpointsKey] = string.Join('\n', pending.Mountpoints);
            var blind = stopped.Mode == DockerStopMode.Pool && pending.Mountpoints.Count == 0;
            if (blind) data[DockerEvents.ErrorKey] = "the pool's mountpoints are unknown (it was never seen mounted), so no container could be matched";
            Publish(DockerEvents.Stopped, blind || stopped.Stopped.Count + stopped.NotStopped.Count > 0 ? Severity.Warning : Severity.Info, stopped.Pool, data);
            if (pending.Then == DockerFollowUp.Recover) Recover(State.OpenWindows[stopped.Pool]);
        }

        public void StartFinished(DockerGuardInput.StartFinished finished)
        {
            if (!State.Pending.TryGetValue(finished.Pool, out var pending)) return;
            var result = finished.Result;
            string? gaveUpError = null;
            if (result.UnreachableError is { } error)
            {
                // Giving up is reported after the window's resolution, which would otherwise end the warning.
                if (RetryOrGiveUp(pending, error, reportGiveUp: false)) return;
                gaveUpError = error;
                result = new DockerOperationResult(null, [], pending.Containers.Select(c => new ContainerFailure(c.Id, c.Name, error)).ToList());
            }
            RemovePending(finished.Pool);
            var closed = new FailureWindowClosed(finished.Pool, result.Done, result.Failed, now);
            Record(closed);
            Log(LogLevel.InfoLevel, "Pool {0} recovered: started {1} container(s) again ({2} could not be started)", closed.Pool, closed.Restarted.Count, closed.NotRestarted.Count);
            ResolveUnreachable(closed.Pool);
            if (closed.Restarted.Count > 0)
                Publish(DockerEvents.Restarted, Severity.Resolved, closed.Pool, ContainerData(closed.Pool, closed.Restarted, closed.NotRestarted));
            if (closed.NotRestarted.Count > 0)
            {
                var notRestarted = closed.NotRestarted.Select(f => new ContainerRef(f.Id, f.Name)).ToList();
                Publish(DockerEvents.Restartable, Severity.Resolved, closed.Pool, ContainerData(closed.Pool, notRestarted, closed.NotRestarted));
            }
            if (gaveUpError is not null) ReportUnreachable(pending, gaveUpError, gaveUp: true);
            if (pending.Then == DockerFollowUp.Fail) Run(new PendingOperation(DockerAction.Stop, closed.Pool, 1, pending.Mountpoints, [], DockerFollowUp.None));
        }

        private void Recover(FailureWindow window)
        {
            if (options.RestartOnRecovery && window.Stopped.Count > 0)
            {
                Run(new PendingOperation(DockerAction.Start, window.Pool, 1, [], window.Stopped, DockerFollowUp.None));
                return;
            }
            Record(new FailureWindowClosed(window.Pool, [], [], now));
            ResolveUnreachable(window.Pool);
            Publish(window.Stopped.Count > 0 ? DockerEvents.Restartable : DockerEvents.WindowClosed, Severity.Resolved, window.Pool,
                ContainerData(window.Pool, window.Stopped, []));
        }

        private void Run(PendingOperation pending)
        {
            SetPending(pending);
            Effects.Add(pending.Action == DockerAction.Stop
                ? new DockerGuardEffect.StopContainers(pending.Pool, pending.Attempt, pending.Mountpoints)
                : new DockerGuardEffect.StartContainers(pending.Pool, pending.Attempt, pending.Containers));
        }

        /// <summary>
        /// Schedules the next attempt (true) or says the guard gives up (false). Warns on the first and last failure only;
        /// the last one only when <paramref name="reportGiveUp"/> (else the caller reports it).
        /// </summary>
        private bool RetryOrGiveUp(PendingOperation pending, string error, bool reportGiveUp = true)
        {
            var gaveUp = pending.Attempt >= options.MaxAttempts;
            if (!gaveUp)
            {
                SetPending(pending with { Attempt = pending.Attempt + 1 });
                Effects.Add(new DockerGuardEffect.ScheduleRetry(pending.Pool, Backoff(pending.Attempt, options)));
            }
            if (gaveUp ? reportGiveUp : pending.Attempt == 1) ReportUnreachable(pending, error, gaveUp);
            return !gaveUp;
        }

        private void ReportUnreachable(PendingOperation pending, string error, bool gaveUp)
        {
            Log(LogLevel.WarningLevel, "Docker unreachable while trying to {0} containers of pool {1} (attempt {2}): {3}", pending.Verb, pending.Pool, pending.Attempt, error);
            State = State with { UnreachableReported = State.UnreachableReported.Add(pending.Pool) };
            Publish(DockerEvents.Unreachable, Severity.Warning, pending.Pool, new Dictionary<string, string>
            {
                [DockerEvents.PoolKey] = pending.Pool,
                [DockerEvents.ActionKey] = pending.Verb,
                [DockerEvents.ErrorKey] = error,
                [DockerEvents.AttemptKey] = pending.Attempt.ToString(CultureInfo.InvariantCulture),
                [DockerEvents.GaveUpKey] = gaveUp ? "true" : "false",
            });
        }

        private void ResolveUnreachable(string pool) => State = State with { UnreachableReported = State.UnreachableReported.Remove(pool) };

        private void SetPending(PendingOperation pending) => State = State with { Pending = State.Pending.SetItem(pending.Pool, pending) };

        private void RemovePending(string pool) => State = State with { Pending = State.Pending.Remove(pool) };

        private void Record(IPersistedEvent recorded)
        {
            State = State.Apply(recorded);
            Effects.Add(new DockerGuardEffect.Persist(recorded));
        }

        private void Publish(string type, Severity severity, string pool, IReadOnlyDictionary<string, string> data) =>
            Effects.Add(new DockerGuardEffect.Publish(type, severity, pool, data));

        private void Log(LogLevel level, string template, params object[] args) => Effects.Add(new DockerGuardEffect.Log(level, template, args));

        private static Dictionary<string, string> ContainerData(string pool, IReadOnlyList<ContainerRef> containers, IReadOnlyList<ContainerFailure> failures)
        {
            var data = new Dictionary<string, string>
            {
                [DockerEvents.PoolKey] = pool,
                [DockerEvents.CountKey] = containers.Count.ToString(CultureInfo.InvariantCulture),
                [DockerEvents.IdsKey] = string.Join(',', containers.Select(c => c.Id)),
                [DockerEvents.NamesKey] = string.Join(',', containers.Select(c => c.Name)),
            };
            if (failures.Count > 0) data[DockerEvents.FailuresKey] = string.Join('\n', failures.Select(f => $"{f.Name}: {f.Error}"));
            return data;
        }
    }
}
