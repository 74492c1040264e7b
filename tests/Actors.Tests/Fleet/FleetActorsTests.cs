using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Fleet;
using DPlaneOS.Actors.Fleet.Bus;
using DPlaneOS.Actors.Fleet.Membership;
using DPlaneOS.Actors.Fleet.Summary;
using DPlaneOS.Actors.Node;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Tests.Fleet;

/// <summary>
/// The fleet-side actors of real fleet planes on 127.0.0.1 (real TLS), each node with its own safety-plane-like
/// local actor system: the bus bridge, the replicated view, the health responder and the membership singleton.
/// </summary>
public sealed class FleetActorsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset At = new(2026, 12, 3, 17, 0, 0, TimeSpan.Zero);

    private readonly TestFleetCertificates _fleet = new("fleet actors CA");
    private readonly List<Node> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _fleet.Dispose();
    }

    [Fact]
    public async Task An_event_of_node_A_reaches_B_on_monitor_fleet_only_and_is_not_echoed_to_A()
    {
        var ports = FreePorts(2);
        var a = Start("nas-a", ports[0], seeds: ports[0]);
        var b = Start("nas-b", ports[1], seeds: ports[0]);
        await WhenUpAsync(a, b);
        var bFleet = b.Collect(MonitorBus.FleetTopic);
        var bMonitor = b.Collect(MonitorBus.Topic);
        var aFleet = a.Collect(MonitorBus.FleetTopic);
        // The distributed topic knows the other node's bridge once a ready event gets through, each way.
        await ReadyAsync(a, bFleet);
        await ReadyAsync(b, aFleet);

        MonitorBus.Publish(a.Safety, MonitorEvent.Create(a.Identity, "pool.degraded", Severity.Warning, "tank", At));
        var arrived = await bFleet.NextAsync(e => e.Type != "test.ready");
        Assert.Equal(("pool.degraded", "nas-a"), (arrived.Type, arrived.Node));

        // B's own later event is the first thing on B's monitor topic: A's never went there.
        MonitorBus.Publish(b.Safety, MonitorEvent.Create(b.Identity, "pool.online", Severity.Info, "tank", At));
        var local = await bMonitor.NextAsync(e => e.Type != "test.ready");
        Assert.Equal(("pool.online", "nas-b"), (local.Type, local.Node));
        // Everything on A's fleet topic up to B's event is B's: A's own (ready and degraded) were never echoed back.
        var seenByA = new List<MonitorEvent>();
        do seenByA.Add(await aFleet.NextAsync());
        while (seenByA[^1].Type != "pool.online");
        Assert.All(seenByA, e => Assert.Equal("nas-b", e.Node));
    }

    [Fact]
    public async Task The_view_lists_both_nodes_the_singleton_raises_a_downed_node_once_and_resolves_it_when_it_is_back()
    {
        var ports = FreePorts(2);
        var a = Start("nas-a", ports[0], seeds: ports[0]);
        var b = Start("nas-b", ports[1], seeds: ports[0]);
        await WhenUpAsync(a, b);
        var aMonitor = a.Collect(MonitorBus.Topic);
        var bMonitor = b.Collect(MonitorBus.Topic);
        var view = new ReplicatedFleetView(a.Actors, a.Summaries);

        await AwaitAsync(async () =>
        {
            var nodes = await view.NodesAsync(CancellationToken.None);
            Assert.Equal(["nas-a", "nas-b"], nodes.Select(n => n.Name));
            Assert.All(nodes, n => Assert.Equal(FleetNodeStatus.Up, n.Status));
            Assert.Equal($"127.0.0.1:{ports[1]}", nodes[1].Summary.Address);
            Assert.Equal(nodes[1].Summary.TakenAt, nodes[1].LastSeen);
        });
        var health = await view.NodeAsync("nas-b", CancellationToken.None);
        Assert.NotNull(health);
        Assert.Null(health.Error);
        Assert.Equal("tank", Assert.Single(health.Health!.Pools).Name);
        Assert.Null(await view.NodeAsync("nas-z", CancellationToken.None));

        // B's fleet plane is downed (the singleton runs on A, the oldest); B's plane builds a new incarnation.
        var bSystem = b.Plane.Current!;
        Cluster.Get(bSystem).Down(Cluster.Get(bSystem).SelfAddress);

        var raised = await aMonitor.NextAsync(e => e.Type.StartsWith("fleet.", StringComparison.Ordinal));
        Assert.Equal((FleetEvents.NodeUnreachable, Severity.Critical, "nas-b", "nas-a"), (raised.Type, raised.Severity, raised.Subject, raised.Node));
        Assert.Equal("nas-a", raised.Data[FleetEvents.ObserverKey]);
        FleetNodeHealth? silent = null;
        await AwaitAsync(async () =>
        {
            var nodes = await view.NodesAsync(CancellationToken.None);
            var bNode = nodes.Single(n => n.Name == "nas-b");
            Assert.Contains(bNode.Status, new[] { FleetNodeStatus.Unreachable, FleetNodeStatus.Down });
            Assert.Equal("tank", Assert.Single(bNode.Summary.Pools).Name);
            silent = await view.NodeAsync("nas-b", CancellationToken.None);
            Assert.Null(silent!.Health);
        });
        Assert.Contains("nas-b", silent!.Error, StringComparison.Ordinal);
        Assert.Equal("nas-b", silent.Node.Summary.Name);

        // Back: the next fleet event on A is the resolution, not a second raise.
        var back = await aMonitor.NextAsync(e => e.Type.StartsWith("fleet.", StringComparison.Ordinal));
        Assert.Equal((FleetEvents.NodeReachable, Severity.Resolved, "nas-b"), (back.Type, back.Severity, back.Subject));
        await AwaitAsync(async () => Assert.All(await view.NodesAsync(CancellationToken.None), n => Assert.Equal(FleetNodeStatus.Up, n.Status)));
        // Raised on A's bus only: B's first event on its own monitor topic is a later marker of its own.
        MonitorBus.Publish(b.Safety, MonitorEvent.Create(b.Identity, "test.marker", Severity.Info, "x", At));
        Assert.Equal("test.marker", (await bMonitor.NextAsync()).Type);
    }

    [Fact]
    public async Task A_node_that_cannot_answer_is_an_error_naming_it()
    {
        var ports = FreePorts(2);
        var a = Start("nas-a", ports[0], seeds: ports[0]);
        var b = Start("nas-b", ports[1], seeds: ports[0], healthFails: true);
        await WhenUpAsync(a, b);
        var view = new ReplicatedFleetView(a.Actors, a.Summaries);
        await AwaitAsync(async () => Assert.Equal(2, (await view.NodesAsync(CancellationToken.None)).Count));

        var health = await view.NodeAsync("nas-b", CancellationToken.None);

        Assert.NotNull(health);
        Assert.Null(health.Health);
        Assert.Equal("node 'nas-b' did not answer within 3 s", health.Error);
        Assert.Equal("nas-b", health.Node.Summary.Name);
        Assert.Null((await view.NodeAsync("nas-a", CancellationToken.None))!.Error);
    }

    /// <summary>Publishes ready events on <paramref name="from"/>'s bus until one arrives at <paramref name="to"/>.</summary>
    private static Task ReadyAsync(Node from, Collector to) =>
        AwaitAsync(async () =>
        {
            MonitorBus.Publish(from.Safety, MonitorEvent.Create(from.Identity, "test.ready", Severity.Info, "bridge", At));
            Assert.Equal(from.Identity.Name, (await to.NextAsync().WaitAsync(TimeSpan.FromSeconds(1))).Node);
        });

    private static async Task WhenUpAsync(params Node[] nodes)
    {
        foreach (var node in nodes)
            await node.StartedAsync();
        await AwaitAsync(() =>
        {
            foreach (var node in nodes)
            {
                var state = Cluster.Get(node.Plane.Current!).State;
                Assert.Equal(nodes.Length, state.Members.Count(m => m.Status == MemberStatus.Up));
                Assert.Empty(state.Unreachable);
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>Retries <paramref name="check"/> until it passes (each try is a fresh read, never a sleep in the code under test).</summary>
    private static async Task AwaitAsync(Func<Task> check)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await check();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private Node Start(string name, int port, int seeds, bool healthFails = false)
    {
        var node = new Node(name, Options(name, port, seeds), healthFails);
        _nodes.Add(node);
        node.Plane.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return node;
    }

    private FleetOptions Options(string name, int port, int seeds) =>
        new()
        {
            Hostname = "127.0.0.1",
            Port = port,
            SeedNodes = [$"127.0.0.1:{seeds}"],
            CertificatePath = _fleet.Node(name),
            CaPath = _fleet.CaPath,
            JoinTimeout = TimeSpan.FromSeconds(30),
            RebuildMinBackoff = TimeSpan.FromMilliseconds(100),
            RebuildMaxBackoff = TimeSpan.FromMilliseconds(500),
            SummaryInterval = TimeSpan.FromMilliseconds(500),
        };

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>One node: a safety-plane stand-in (local actor system), its fleet plane and its fleet actors.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly Channel<ActorSystem> _started = Channel.CreateUnbounded<ActorSystem>();

        public Node(string name, FleetOptions options, bool healthFails)
        {
            Identity = NodeIdentity.Named(name);
            Safety = ActorSystem.Create("dplaneos", ConfigurationFactory.ParseString("akka.actor.provider = local"));
            Summaries = new FakeSummaries(Identity, healthFails);
            Plane = new FleetPlane(options, Identity, TimeProvider.System);
            Actors = new FleetActors(Plane, options, Identity, Summaries, () => Safety, TimeProvider.System);
            Plane.IncarnationStarted += e => _started.Writer.TryWrite(e.System);
        }

        public NodeIdentity Identity { get; }

        public ActorSystem Safety { get; }

        public FakeSummaries Summaries { get; }

        public FleetPlane Plane { get; }

        public FleetActors Actors { get; }

        public Task<ActorSystem> StartedAsync() => _started.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        /// <summary>A subscriber of <paramref name="topic"/> on this node's local bus, acknowledged.</summary>
        public Collector Collect(string topic)
        {
            var collector = new Collector();
            var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var actor = Safety.ActorOf(Props.Create(() => new CollectorActor(collector.Writer, acked)));
            LocalBus.Get(Safety).Subscribe(topic, actor);
            acked.Task.WaitAsync(Patience).GetAwaiter().GetResult();
            return collector;
        }

        public async ValueTask DisposeAsync()
        {
            await Plane.DisposeAsync();
            await Safety.Terminate();
        }
    }

    private sealed class Collector
    {
        private readonly Channel<MonitorEvent> _events = Channel.CreateUnbounded<MonitorEvent>();

        public ChannelWriter<MonitorEvent> Writer => _events.Writer;

        public Task<MonitorEvent> NextAsync() => _events.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        public async Task<MonitorEvent> NextAsync(Func<MonitorEvent, bool> wanted)
        {
            while (true)
            {
                var next = await NextAsync();
                if (wanted(next)) return next;
            }
        }
    }

    private sealed class CollectorActor : ReceiveActor
    {
        public CollectorActor(ChannelWriter<MonitorEvent> writer, TaskCompletionSource acked)
        {
            Receive<MonitorEvent>(e => writer.TryWrite(e));
            Receive<TopicMediator.Protocol.SubscribeAck>(_ => acked.TrySetResult());
        }
    }

    private sealed class FakeSummaries(NodeIdentity node, bool healthFails) : INodeSummarySource
    {
        public NodeIdentity Node => node;

        public Task<NodeSummary> TakeAsync(string? address, CancellationToken cancellationToken) =>
            Task.FromResult(new NodeSummary(node.Name, address, "test", At, [new PoolSummary("tank", "ONLINE", 10, CapacityLevel.Ok, null, null)], 0,
                DateTimeOffset.UtcNow));

        public async Task<(NodeSummary Summary, HealthReport Health)> TakeWithHealthAsync(string? address, CancellationToken cancellationToken)
        {
            if (healthFails) throw new InvalidOperationException("the safety plane did not answer");
            var report = FleetTestReports.Degraded(At);
            return (await TakeAsync(address, cancellationToken), report with { Pools = [report.Pools[0] with { Name = "tank" }] });
        }
    }
}
