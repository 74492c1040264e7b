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
/// <para>
/// The decisions (levels, events, when to release or re-arm a reserve) are <see cref="CapacityGuardianState.Decide"/>;
/// this actor runs the zpool/zfs calls it asks for, publishes, stashes and replies.
/// </para>
/// </summary>
public sealed class CapacityGuardian(CapacityOptions options, IZpool zpool, IZfs zfs, TimeProvider time, NodeIdentity node)
    : ReceiveActor, IWithStash
{
    private readonly EmergencyReserve _reserve = new(zpool, zfs);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private CapacityGuardianState _state = CapacityGuardianState.Empty;

    // Rebuilt only when what it shows changes: the gateway caches the serialized report per instance.
    private CapacityReport _report = CapacityGuardianState.Empty.Report(options);

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        Become(Guarding);
        Context.System.EventStream.Subscribe(Self, typeof(CapacityGuardian.Protocol.StatusObserved));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Guarding()
    {
        Receive<CapacityGuardian.Protocol.StatusObserved>(observed =>
            Decide(new CapacityGuardianInput.Observed(observed.Reading.At, observed.Reading.List), replyTo: null));
        Receive<Protocol.GetReport>(_ => Sender.Tell(_report));
        Receive<Protocol.Reserve>(request => Decide(new CapacityGuardianInput.Requested(ReserveOperation.Reserve, request.Pool), Sender));
        Receive<Protocol.Release>(request => Decide(new CapacityGuardianInput.Requested(ReserveOperation.Release, request.Pool), Sender));
        Receive<Protocol.ReservesRead>(OnReservesRead);
        Receive<Protocol.OperationDone>(done => Decide(new CapacityGuardianInput.OperationFinished(done.Operation, done.Outcome), done.ReplyTo));
    }

    private void OnReservesRead(Protocol.ReservesRead read)
    {
        // Reading never fails (a failed zfs get is an unknown reserve): a faulted read is a bug; let the supervisor restart.
        if (read.Failure is not null) throw new InvalidOperationException("Reading the emergency reserves failed unexpectedly", read.Failure);
        Decide(new CapacityGuardianInput.ReservesRead(read.Version, read.Reserves ?? new Dictionary<string, ReserveStatus>()), replyTo: null);
    }

    /// <param name="replyTo">Who a <see cref="CapacityGuardianEffect.Reply"/> goes to, and who an operation started for a request answers.</param>
    private void Decide(CapacityGuardianInput input, IActorRef? replyTo)
    {
        var decision = _state.Decide(input, time.GetUtcNow(), options);
        if (!ReferenceEquals(decision.State.Capacity, _state.Capacity)) _report = decision.State.Report(options);
        _state = decision.State;
        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case CapacityGuardianEffect.Publish publish:
                    MonitorBus.Publish(Context.System, MonitorEvent.Create(node, publish.Type, publish.Severity, publish.Pool, publish.At, publish.Data));
                    break;
                case CapacityGuardianEffect.ReadReserves read:
                    ReadReserves(read);
                    break;
                case CapacityGuardianEffect.RunOperation run:
                    Run(run, input is CapacityGuardianInput.Requested ? replyTo : null);
                    break;
                case CapacityGuardianEffect.Reply reply:
                    replyTo?.Tell(reply.Outcome);
                    break;
                case CapacityGuardianEffect.Stash:
                    Stash.Stash();
                    break;
                case CapacityGuardianEffect.UnstashAll:
                    Stash.UnstashAll();
                    break;
                case CapacityGuardianEffect.Log log:
                    _log.Log(log.Level, log.Template, [.. log.Args]);
                    break;
            }
        }
    }

    private void ReadReserves(CapacityGuardianEffect.ReadReserves read)
    {
        var version = read.Version;
        _reserve.ReadAsync(read.Pools, _stopping.Token)
            .PipeTo(Self, success: reserves => new Protocol.ReservesRead(version, reserves), failure: ex => new Protocol.ReservesRead(version, null, ex));
    }

    private void Run(CapacityGuardianEffect.RunOperation run, IActorRef? replyTo)
    {
        var (operation, pool) = (run.Operation, run.Pool);
        var work = operation is ReserveOperation.Reserve or ReserveOperation.Rearm
            ? _reserve.ReserveAsync(pool, options.ReservePercent, _stopping.Token)
            : _reserve.ReleaseAsync(pool, _stopping.Token);
        // A faulted or cancelled change is a failed outcome: the state always learns the change is over.
        work.PipeTo(Self,
            success: outcome => new Protocol.OperationDone(operation, outcome, replyTo),
            failure: ex => new Protocol.OperationDone(operation, ReserveOutcome.Failed(pool, ex.Message), replyTo));
    }

    public static class Protocol
    {
        /// <summary>The requests the gateway sends the guardian (registered as <see cref="CapacityGuardian"/>).</summary>
        public interface IRequest;

        /// <summary>A <c>zpool status</c>/<c>list</c> reading, published by the health actor on the local EventStream (this node's pools only).</summary>
        public sealed record StatusObserved(ZfsStatusReading Reading);

        /// <summary>Replies with the current <see cref="CapacityReport"/>.</summary>
        public sealed record GetReport : IRequest
        {
            public static readonly GetReport Instance = new();
        }

        /// <summary>Creates (or re-arms) the pool's emergency reserve; replies with a <see cref="ReserveOutcome"/>.</summary>
        public sealed record Reserve(string Pool) : IRequest;

        /// <summary>Releases the pool's emergency reserve (keeps the dataset); replies with a <see cref="ReserveOutcome"/>.</summary>
        public sealed record Release(string Pool) : IRequest;

        internal sealed record ReservesRead(int Version, IReadOnlyDictionary<string, ReserveStatus>? Reserves, Exception? Failure = null);

        internal sealed record OperationDone(ReserveOperation Operation, ReserveOutcome Outcome, IActorRef? ReplyTo);
    }
}
