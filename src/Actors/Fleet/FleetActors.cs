using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.DistributedData;
using DPlaneOS.Actors.Fleet.Bus;
using DPlaneOS.Actors.Fleet.Health;
using DPlaneOS.Actors.Fleet.Membership;
using DPlaneOS.Actors.Fleet.Summary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DPlaneOS.Actors.Fleet;

/// <summary>The actors of one fleet incarnation that the view talks to.</summary>
public sealed record FleetIncarnation(int Number, ActorSystem System, IActorRef Replicator, IActorRef Members);

/// <summary>
/// Starts the fleet-side actors in every new fleet incarnation (<see cref="FleetPlane.IncarnationStarted"/>):
/// <see cref="FleetBridge"/>, <see cref="FleetSummaryWriter"/>, <see cref="FleetMembershipTracker"/>,
/// <see cref="FleetHealthResponder"/> and the manager of the <see cref="FleetMembershipWatcher"/> singleton. A new
/// incarnation gets fresh ones. The safety plane is only told things: its local bus is handed to the bridge and the
/// watcher as an actor ref, and nothing in it ever waits for the fleet.
/// </summary>
public sealed class FleetActors
{
    public const string BridgeName = "fleet-bridge";
    public const string SummaryWriterName = "fleet-summary";
    public const string MembersName = "fleet-members";
    public const string WatcherName = "fleet-membership";

    private readonly FleetOptions _options;
    private readonly NodeIdentity _node;
    private readonly INodeSummarySource _summaries;
    private readonly Func<ActorSystem> _safetyPlane;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private FleetIncarnation? _current;

    public FleetActors(FleetPlane plane, FleetOptions options, NodeIdentity node, INodeSummarySource summaries, Func<ActorSystem> safetyPlane,
        TimeProvider time, ILogger<FleetActors>? logger = null)
    {
        _options = options;
        _node = node;
        _summaries = summaries;
        _safetyPlane = safetyPlane;
        _time = time;
        _logger = logger ?? NullLogger<FleetActors>.Instance;
        plane.IncarnationStarted += Start;
        plane.IncarnationEnded += ended =>
        {
            var current = Volatile.Read(ref _current);
            if (current?.Number == ended.Incarnation) Interlocked.CompareExchange(ref _current, null, current);
        };
    }

    /// <summary>The current incarnation's actors; null between two and when the fleet is off.</summary>
    public FleetIncarnation? Current => Volatile.Read(ref _current);

    private void Start(FleetIncarnationStarted started)
    {
        try
        {
            var system = started.System;
            var localBus = LocalBus.Get(_safetyPlane()).Mediator;
            var self = Cluster.Get(system).SelfAddress;
            var address = $"{self.Host}:{self.Port}";
            var members = system.ActorOf(Props.Create(() => new FleetMembershipTracker()), MembersName);
            system.ActorOf(FleetBridge.Props(localBus, _node.Name), BridgeName);
            system.ActorOf(FleetSummaryWriter.Props(_summaries, _options.SummaryInterval), SummaryWriterName);
            system.ActorOf(FleetHealthResponder.Props(_summaries, address), FleetHealthResponder.Name);
            system.ActorOf(ClusterSingletonManager.Props(FleetMembershipWatcher.Props(localBus, _node, _time), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system)), WatcherName);
            Volatile.Write(ref _current, new FleetIncarnation(started.Incarnation, system, DistributedData.Get(system).Replicator, members));
        }
        catch (Exception e)
        {
            // An incarnation that ends while it starts: the next one starts its own.
            _logger.LogWarning(e, "Fleet: the actors of incarnation {Incarnation} could not be started", started.Incarnation);
        }
    }
}
