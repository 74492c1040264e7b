using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Storage.Health;

/// <summary>
/// Holds the ZFS read model the health, capacity, iostat and events routes serve. Pool status is
/// read on a timer (default 10 s) and SMART on a slower one (default 30 min), so no request ever
/// spawns a process. Reads run off the actor and come back by PipeTo; a read still out when the
/// timer fires again is not doubled. Each reading is also published on the local EventStream
/// (<see cref="Capacity.CapacityGuardian.Protocol.StatusObserved"/>), so other storage actors (the capacity guardian) use the
/// same reading instead of running zpool again.
/// </summary>
public sealed class ZfsHealthActor(ZfsStatusReader statusReader, SmartReader smartReader, DPlaneOSOptions options, TimeProvider time)
    : ReceiveActor, IWithTimers
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private ZfsHealthView _view = ZfsHealthView.Initial();
    private bool _statusInFlight;
    private bool _smartInFlight;
    private HashSet<string> _smartDevices = [];

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Become(Serving);
        Timers.StartPeriodicTimer("status", Protocol.RefreshStatus.Instance, TimeSpan.Zero, options.Status.RefreshInterval);
        Timers.StartPeriodicTimer("smart", Protocol.RefreshSmart.Instance, options.Smart.RefreshInterval, options.Smart.RefreshInterval);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Serving()
    {
        Receive<Protocol.GetView>(_ => Sender.Tell(_view));
        Receive<Protocol.RefreshStatus>(_ => StartStatusRead());
        Receive<Protocol.RefreshSmart>(_ => StartSmartRead());
        Receive<Protocol.StatusRead>(OnStatusRead);
        Receive<Protocol.SmartRead>(OnSmartRead);
    }

    private void StartStatusRead()
    {
        if (_statusInFlight) return;
        _statusInFlight = true;
        statusReader.ReadAsync(_stopping.Token)
            .PipeTo(Self, success: reading => new Protocol.StatusRead(reading), failure: ex => new Protocol.StatusRead(null, ex));
    }

    private void OnStatusRead(Protocol.StatusRead message)
    {
        _statusInFlight = false;
        if (message.Reading is null)
        {
            // The reader returns errors as values; an exception here is a bug, so let supervision restart us.
            throw new InvalidOperationException("ZFS status read failed unexpectedly", message.Failure);
        }
        _view = _view.WithReading(message.Reading, options.Status.EventsKept);
        Context.System.EventStream.Publish(new Capacity.CapacityGuardian.Protocol.StatusObserved(message.Reading));
        if (!message.Reading.Status.IsOk)
            _log.Warning("zpool status failed: {0}", message.Reading.Status.Error);
        else
            Context.System.EventStream.Publish(new Pools.PoolManager.Protocol.PoolsObserved(message.Reading.At, message.Reading.Status.Value));

        // A disk we have never read (first start, a new or replaced disk) gets SMART now, not in 30 min.
        var devices = _view.DevicePaths.ToHashSet();
        if (!devices.IsSubsetOf(_smartDevices)) StartSmartRead();
    }

    private void StartSmartRead()
    {
        var devices = _view.DevicePaths;
        if (_smartInFlight) return;
        _smartInFlight = true;
        _smartDevices = devices.ToHashSet();
        smartReader.ReadAsync(devices, _stopping.Token)
            .PipeTo(Self, success: observations => new Protocol.SmartRead(observations, null), failure: ex => new Protocol.SmartRead([], ex));
    }

    private void OnSmartRead(Protocol.SmartRead message)
    {
        _smartInFlight = false;
        if (message.Failure is not null) throw new InvalidOperationException("SMART read failed unexpectedly", message.Failure);
        _view = _view.WithSmart(message.Observations, time.GetUtcNow());
    }

    public static class Protocol
    {
        /// <summary>Asks for the current <see cref="ZfsHealthView"/>.</summary>
        public sealed record GetView
        {
            public static readonly GetView Instance = new();
        }

        internal sealed record RefreshStatus : IDeadLetterSuppression
        {
            public static readonly RefreshStatus Instance = new();
        }

        internal sealed record RefreshSmart : IDeadLetterSuppression
        {
            public static readonly RefreshSmart Instance = new();
        }

        internal sealed record StatusRead(ZfsStatusReading? Reading, Exception? Failure = null);

        internal sealed record SmartRead(IReadOnlyList<SmartObservation> Observations, Exception? Failure);
    }
}
