namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// <c>/user/gitops/drift</c>: asks its parent for a check at start and every
/// <c>DPlaneOS:GitOps:DriftInterval</c> (5 min), receives every check result (timer, POST /check,
/// after apply, after a new state.yaml) and publishes what <see cref="DriftTracker"/> says is news.
/// The parent computes; it never runs two checks at once.
/// </summary>
public sealed class DriftDetectorActor : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _interval;
    private readonly NodeIdentity _node;
    private DriftTracker _tracker = DriftTracker.Initial;

    public DriftDetectorActor(TimeSpan interval, NodeIdentity node)
    {
        _interval = interval;
        _node = node;
        Receive<Protocol.Tick>(_ => Context.Parent.Tell(GitOpsActor.Protocol.RunCheck.Instance));
        Receive<Protocol.CheckCompleted>(completed =>
        {
            (_tracker, var events) = _tracker.Observe(completed.Result, _node);
            foreach (var e in events) MonitorBus.Publish(Context.System, e);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("drift", Protocol.Tick.Instance, TimeSpan.Zero, _interval);

    public static class Protocol
    {
        internal sealed record Tick : IDeadLetterSuppression
        {
            public static readonly Tick Instance = new();
        }

        public sealed record CheckCompleted(CheckResult Result);
    }
}
