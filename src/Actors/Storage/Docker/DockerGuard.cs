using Akka.Persistence;
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
/// journal keeps open windows across restarts of the daemon. The decisions are <see cref="DockerGuardState.Decide"/>'s;
/// this actor journals, schedules, publishes, replies and runs the Docker calls.
/// </summary>
public sealed class DockerGuard : ReceivePersistentActor, IWithTimers
{
    private readonly DockerOptions _options;
    private readonly NodeIdentity _node;
    private readonly DockerOperations _operations;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DockerGuardState _state = DockerGuardState.Empty;

    public DockerGuard(DockerOptions options, NodeIdentity node, IDockerEngine engine, TimeProvider time)
    {
        _options = options;
        _node = node;
        _operations = new DockerOperations(engine, options);
        _time = time;

        Recover<ContainersStopped>(stopped => _state = _state.Apply(stopped));
        Recover<FailureWindowClosed>(closed => _state = _state.Apply(closed));

        Command<SubscribeAck>(_ => { });
        Command<MonitorEvent>(monitorEvent =>
        {
            if (DockerGuardInput.Of(monitorEvent, _node.Name) is { } input) Decide(input);
        });
        Command<DockerGuardInput.StopFinished>(Decide);
        Command<DockerGuardInput.StartFinished>(Decide);
        Command<Protocol.Retry>(retry => Decide(new DockerGuardInput.RetryDue(retry.Pool)));
        Command<Protocol.GetWindows>(_ => Sender.Tell(new Protocol.Windows(
            _state.OpenWindows.Values.OrderBy(w => w.Pool, StringComparer.Ordinal).ToList(),
            _state.Pending.Values.OrderBy(p => p.Pool, StringComparer.Ordinal).Select(p => new Protocol.Operation(p.Pool, p.Verb, p.Attempt)).ToList())));
    }

    public override string PersistenceId => _node.PersistenceId("docker-guard");

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => MonitorBus.Subscribe(Context.System, Self);

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Decide(DockerGuardInput input)
    {
        var decision = _state.Decide(input, _time.GetUtcNow(), _options);
        // Commands are stashed while a record is journalled, so the state may move on at once.
        _state = decision.State;
        Carry(decision.Effects);
    }

    /// <summary>Carries out the effects in order; those after a record run once it is journalled.</summary>
    private void Carry(IReadOnlyList<DockerGuardEffect> effects)
    {
        var persist = effects.ToList().FindIndex(e => e is DockerGuardEffect.Persist);
        foreach (var effect in persist < 0 ? effects : effects.Take(persist)) Carry(effect);
        if (persist < 0) return;
        var rest = effects.Skip(persist + 1).ToList();
        Persist(((DockerGuardEffect.Persist)effects[persist]).Record, _ => Carry(rest));
    }

    private void Carry(DockerGuardEffect effect)
    {
        switch (effect)
        {
            case DockerGuardEffect.Publish publish:
                MonitorBus.Publish(Context.System, MonitorEvent.Create(_node, publish.Type, publish.Severity, publish.Pool, _time.GetUtcNow(), publish.Data));
                break;
            case DockerGuardEffect.StopContainers stop:
                PipeResult(_operations.StopAffectedAsync(stop.Mountpoints, _stopping.Token), result => new DockerGuardInput.StopFinished(stop.Pool, result));
                break;
            case DockerGuardEffect.StartContainers start:
                PipeResult(_operations.StartAsync(start.Containers, _stopping.Token), result => new DockerGuardInput.StartFinished(start.Pool, result));
                break;
            case DockerGuardEffect.ScheduleRetry retry:
                Timers.StartSingleTimer($"retry-{retry.Pool}", new Protocol.Retry(retry.Pool), retry.Delay);
                break;
            case DockerGuardEffect.Log log:
                _log.Log(log.Level, log.Template, [.. log.Args]);
                break;
        }
    }

    /// <summary>A Docker call's result comes back as <paramref name="finished"/>; a faulted call as the same message, with the fault as its result.</summary>
    private void PipeResult(Task<DockerOperationResult> call, Func<DockerOperationResult, DockerGuardInput> finished) =>
        call.PipeTo(Self, success: finished, failure: ex => finished(_operations.Faulted(ex)));

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

        internal sealed record Retry(string Pool) : IDeadLetterSuppression;
    }
}
