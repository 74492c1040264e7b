using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// <c>/user/audit-verify</c>: checks the chain without being asked, at start and then
/// <c>DPlaneOS:Audit:VerifyInterval</c> (1 h) after each check finished, exactly as
/// <c>GET /api/system/audit/verify-chain</c> does: the writer's head first, then every record from the
/// database (markers included) through <see cref="AuditSetup.VerifyChainAsync"/>. The check runs in a
/// task piped back here, so neither this actor nor the writer waits for it, and checks never overlap.
/// What is news goes on the monitor bus (<see cref="AuditChainTracker"/>): <c>audit.chain.broken</c>
/// (critical) once per break, <c>audit.chain.intact</c> (resolved), and <c>audit.chain.checked</c> after
/// every check.
/// </summary>
/// <param name="writer">The audit writer (<c>/user/audit</c>), asked for its head as the route does.</param>
/// <param name="headTimeout">How long the writer may take to answer (it answers only after its start check) before the chain is checked without its head.</param>
/// <param name="mediator">The <see cref="LocalBus"/> mediator (a probe in tests).</param>
public sealed class AuditChainWatch(IActorRef writer, AuditChainWatch.Verify verify, TimeSpan interval, TimeSpan headTimeout, string subject, string node,
    TimeProvider time, IActorRef mediator) : ReceiveActor, IWithTimers
{
    /// <summary>Verifies the stored chain against the writer's head (null: the writer did not answer).</summary>
    public delegate Task<AuditVerification> Verify(AuditHead? writerHead, CancellationToken cancellationToken);

    private const string TickTimer = "tick";
    private const string HeadTimer = "head";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private AuditChainTracker _tracker = AuditChainTracker.Initial;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Become(Idle);
        Self.Tell(Protocol.Tick.Instance);
    }

    // Not disposed: a check still running may hold the token.
    protected override void PostStop() => _stopping.Cancel();

    private void Idle()
    {
        Receive<Protocol.Tick>(_ =>
        {
            Timers.StartSingleTimer(HeadTimer, Protocol.HeadTimedOut.Instance, headTimeout);
            Become(AwaitingHead);
            writer.Tell(AuditLog.Protocol.GetHead.Instance);
        });
        IgnoreLateHeads();
    }

    private void AwaitingHead()
    {
        Receive<AuditLog.Protocol.Head>(head =>
        {
            Timers.Cancel(HeadTimer);
            Run(head.Last);
        });
        Receive<Protocol.HeadTimedOut>(_ =>
        {
            _log.Warning("The audit writer did not answer within {0}; checking the chain without its head", headTimeout);
            Run(null);
        });
    }

    private void Verifying()
    {
        Receive<Protocol.Verified>(verified =>
        {
            (_tracker, var events) = _tracker.Observe(verified.Verification, subject, node, time.GetUtcNow());
            if (events.Any(e => e.Type == AuditChainTracker.Broken)) _log.Error("The audit chain is broken: {0}", verified.Verification.Reason);
            // Scheduled first: whoever sees audit.chain.checked can count on the next check being due.
            Next();
            foreach (var e in events) mediator.Tell(new Publish(MonitorBus.Topic, e));
        });
        Receive<Protocol.Failed>(failed =>
        {
            // Not a verdict: nothing is announced, the next check is at the usual time.
            _log.Warning("The periodic audit chain check failed: {0}", failed.Error);
            Next();
        });
        IgnoreLateHeads();
    }

    private void Run(AuditHead? head)
    {
        var check = verify;
        var cancellation = _stopping.Token;
        Task.Run(() => check(head, cancellation), cancellation).PipeTo(Self,
            success: verification => new Protocol.Verified(verification),
            failure: ex => new Protocol.Failed(ex.GetBaseException().Message));
        Become(Verifying);
    }

    private void Next()
    {
        Timers.StartSingleTimer(TickTimer, Protocol.Tick.Instance, interval);
        Become(Idle);
    }

    // A head that arrives after its timeout belongs to a check already under way.
    private void IgnoreLateHeads() => Receive<AuditLog.Protocol.Head>(_ => { });

    public static class Protocol
    {
        internal sealed record Tick : IDeadLetterSuppression
        {
            public static readonly Tick Instance = new();
        }

        internal sealed record HeadTimedOut : IDeadLetterSuppression
        {
            public static readonly HeadTimedOut Instance = new();
        }

        internal sealed record Verified(AuditVerification Verification);

        internal sealed record Failed(string Error);
    }
}
