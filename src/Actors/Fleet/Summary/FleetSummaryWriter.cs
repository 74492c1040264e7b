using Akka.Cluster;
using Akka.DistributedData;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>
/// Takes this node's summary every <see cref="FleetOptions.SummaryInterval"/> (outside the actor, piped back) and
/// writes it into the local replica of <see cref="FleetSummaries.Key"/>; DData gossips it to the other nodes.
/// One take at a time: a slow safety plane skips ticks, it is never asked twice at once.
/// </summary>
public sealed class FleetSummaryWriter : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _interval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _taking;

    public FleetSummaryWriter(INodeSummarySource source, TimeSpan interval)
    {
        _interval = interval;
        var cluster = Cluster.Get(Context.System);
        var replicator = DistributedData.Get(Context.System).Replicator;
        var self = cluster.SelfAddress;
        var address = $"{self.Host}:{self.Port}";
        Receive<Protocol.Take>(_ =>
        {
            if (_taking) return;
            _taking = true;
            source.TakeAsync(address, CancellationToken.None).PipeTo(Self, failure: e => new Protocol.Failed(e));
        });
        Receive<NodeSummary>(summary =>
        {
            _taking = false;
            replicator.Tell(Dsl.Update(FleetSummaries.Key, LWWDictionary<string, NodeSummary>.Empty, WriteLocal.Instance,
                d => d.SetItem(cluster, summary.Name, summary)));
        });
        Receive<Protocol.Failed>(failed =>
        {
            _taking = false;
            _log.Warning(failed.Error, "Fleet: could not take this node's summary");
        });
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(failure => _log.Warning("Fleet: summary not written: {0}", failure));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(INodeSummarySource source, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new FleetSummaryWriter(source, interval));

    protected override void PreStart()
    {
        Self.Tell(Protocol.Take.Instance);
        Timers.StartPeriodicTimer("take", Protocol.Take.Instance, _interval);
    }

    public static class Protocol
    {
        public sealed record Take
        {
            public static readonly Take Instance = new();
        }

        public sealed record Failed(Exception Error);
    }
}
