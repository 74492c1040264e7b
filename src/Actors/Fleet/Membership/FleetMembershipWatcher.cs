using Akka.Cluster;
using Akka.DistributedData;
using DPlaneOS.Actors.Fleet.Summary;
using LocalTopic = DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Fleet.Membership;

/// <summary>
/// The fleet's membership watcher, a cluster singleton (<see cref="FleetActors"/> starts its manager in every
/// incarnation; it runs on the oldest node). It feeds member and reachability events to
/// <see cref="FleetMembershipState"/> and carries out its effects: the raised set goes to replicated data
/// (<see cref="RaisedKey"/>, written with a majority), and each raise or resolution is published on ITS OWN
/// node's local monitor bus, so the fleet's alert goes through one node's router, once. A watcher that takes over
/// reads the raised set with a majority first (<see cref="FleetMembershipInput.RaisedLoaded"/>): a hand-over
/// repeats nothing.
/// </summary>
public sealed class FleetMembershipWatcher : ReceiveActor
{
    public static readonly ORSetKey<string> RaisedKey = new("fleet-raised");

    private static readonly TimeSpan Consistency = TimeSpan.FromSeconds(3);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<UniqueAddress, string> _members = [];
    private FleetMembershipState _state = FleetMembershipState.Empty;

    public FleetMembershipWatcher(IActorRef localBus, NodeIdentity node, TimeProvider time)
    {
        var cluster = Cluster.Get(Context.System);
        var replicator = DistributedData.Get(Context.System).Replicator;

        void Decide(FleetMembershipInput input)
        {
            var decision = _state.Decide(input);
            _state = decision.State;
            foreach (var effect in decision.Effects)
            {
                var (type, severity, subject) = effect switch
                {
                    FleetMembershipEffect.Raise raise => (FleetEvents.NodeUnreachable, Severity.Critical, raise.Node),
                    FleetMembershipEffect.Resolve resolve => (FleetEvents.NodeReachable, Severity.Resolved, resolve.Node),
                    _ => throw new InvalidOperationException(effect.ToString()),
                };
                // The local replica has it before the event is out; the majority write follows (a lost write only
                // risks a repeat after a hand-over, never a lost alert).
                replicator.Tell(Dsl.Update(RaisedKey, ORSet<string>.Empty, new WriteMajority(Consistency),
                    set => effect is FleetMembershipEffect.Raise ? set.Add(cluster, subject) : set.Remove(cluster, subject)));
                localBus.Tell(new LocalTopic.Publish(MonitorBus.Topic, MonitorEvent.Create(node, type, severity, subject, time.GetUtcNow(),
                    new Dictionary<string, string> { [FleetEvents.ObserverKey] = node.Name })));
            }
        }

        Receive<GetSuccess>(success => Decide(new FleetMembershipInput.RaisedLoaded(success.Get(RaisedKey).Elements.ToHashSet(StringComparer.Ordinal))));
        Receive<NotFound>(_ => Decide(new FleetMembershipInput.RaisedLoaded(new HashSet<string>(StringComparer.Ordinal))));
        Receive<GetFailure>(failure =>
        {
            // No majority answered (a partition): what this node's replica holds is the best there is.
            _log.Warning("Fleet: raised set not read from a majority ({0}); reading the local replica", failure);
            replicator.Tell(Dsl.Get(RaisedKey, ReadLocal.Instance));
        });
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(failure => _log.Warning("Fleet: raised set not written to a majority: {0}", failure));
        Receive<ClusterEvent.MemberUp>(up => Seen(up.Member, name => Decide(new FleetMembershipInput.NodeUp(name))));
        Receive<ClusterEvent.MemberWeaklyUp>(up => Seen(up.Member, name => Decide(new FleetMembershipInput.NodeUp(name))));
        Receive<ClusterEvent.ReachableMember>(back => Seen(back.Member, name => Decide(new FleetMembershipInput.NodeReachable(name))));
        Receive<ClusterEvent.UnreachableMember>(silent =>
        {
            if (FleetMembershipTracker.NameOf(silent.Member) is { } name && !OtherIncarnationUp(silent.Member, name))
                Decide(new FleetMembershipInput.NodeUnreachable(name));
        });
        Receive<ClusterEvent.MemberExited>(exited =>
        {
            if (FleetMembershipTracker.NameOf(exited.Member) is { } name && !OtherIncarnationUp(exited.Member, name))
                Decide(new FleetMembershipInput.NodeRemoved(name, Left: true));
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _members.Remove(removed.Member.UniqueAddress);
            if (FleetMembershipTracker.NameOf(removed.Member) is { } name && !OtherIncarnationUp(removed.Member, name))
                Decide(new FleetMembershipInput.NodeRemoved(name, Left: removed.PreviousStatus == MemberStatus.Exiting));
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });

        void Seen(Member member, Action<string> decide)
        {
            if (FleetMembershipTracker.NameOf(member) is not { } name) return;
            _members[member.UniqueAddress] = name;
            decide(name);
        }
    }

    public static Props Props(IActorRef localBus, NodeIdentity node, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new FleetMembershipWatcher(localBus, node, time));

    protected override void PreStart()
    {
        DistributedData.Get(Context.System).Replicator.Tell(Dsl.Get(RaisedKey, new ReadMajority(Consistency)));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    /// <summary>A node's new incarnation already up beside the old one that goes silent or is removed.</summary>
    private bool OtherIncarnationUp(Member member, string name) =>
        _members.Any(m => !m.Key.Equals(member.UniqueAddress) && string.Equals(m.Value, name, StringComparison.Ordinal));
}
