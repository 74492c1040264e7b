using DPlaneOS.Actors.Fleet.Certificates;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Fleet;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Fleet;

/// <summary>
/// Fleet planes on 127.0.0.1 with real sockets and real TLS: two nodes of one CA form a cluster, a node with
/// a certificate of another CA is refused in the handshake and never becomes a member, and a fleet plane
/// whose actor system was downed builds a new one that rejoins while a separate safety actor system goes on.
/// </summary>
public sealed class FleetPlaneTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TestFleetCertificates _fleet = new("dplaneos fleet CA");
    private readonly List<PlaneUnderTest> _planes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var plane in _planes)
            await plane.DisposeAsync();
        _fleet.Dispose();
    }

    [Fact]
    public void A_fleet_without_seed_nodes_builds_no_actor_system_and_opens_no_port()
    {
        var plane = new FleetPlane(new FleetOptions { Hostname = "127.0.0.1", Port = 0 }, NodeIdentity.Named("solo"), TimeProvider.System);

        Assert.True(plane.StartAsync(CancellationToken.None).IsCompletedSuccessfully);

        Assert.Null(plane.Current);
        Assert.Equal(0, plane.Incarnations);
    }

    [Fact]
    public async Task Two_fleet_planes_of_one_CA_form_a_cluster()
    {
        var ports = FreePorts(2);
        var a = Start("nas-a", ports[0], _fleet, seeds: ports[0]);
        var b = Start("nas-b", ports[1], _fleet, seeds: ports[0]);

        var (aSystem, bSystem) = (await a.NextStartedAsync(), await b.NextStartedAsync());
        var both = MembershipProbe.ExactlyUp(Self(aSystem), Self(bSystem));

        await MembershipProbe.WhenAsync(a.Probe(aSystem), both, Patience);
        await MembershipProbe.WhenAsync(b.Probe(bSystem), both, Patience);
        Assert.Equal(FleetSystemConfig.AddressOf("127.0.0.1", ports[1]), Self(bSystem).Address);
        Assert.Contains(FleetSystemConfig.NodeRole(NodeIdentity.Named("nas-b")), Cluster.Get(aSystem).State.Members.Single(m => m.UniqueAddress.Equals(Self(bSystem))).Roles);
    }

    [Fact]
    public async Task A_node_whose_certificate_is_from_another_CA_is_refused_and_never_becomes_a_member()
    {
        var ports = FreePorts(3);
        var a = Start("nas-a", ports[0], _fleet, seeds: ports[0]);
        var b = Start("nas-b", ports[1], _fleet, seeds: ports[0]);
        var (aSystem, bSystem) = (await a.NextStartedAsync(), await b.NextStartedAsync());
        var both = MembershipProbe.ExactlyUp(Self(aSystem), Self(bSystem));
        var aProbe = a.Probe(aSystem);
        var bProbe = b.Probe(bSystem);
        await MembershipProbe.WhenAsync(aProbe, both, Patience);
        await MembershipProbe.WhenAsync(bProbe, both, Patience);

        // The intruder knows the fleet CA (public) and the seeds, but its own certificate is from another CA.
        // A FleetPlane would not even start with it (next test), so it is the actor system a plane builds.
        using var rogue = new TestFleetCertificates("rogue CA");
        var intruderOptions = Options("intruder", ports[2], rogue, seeds: ports[0], caPath: _fleet.CaPath);
        var credentials = FleetCredentials.Load(intruderOptions);
        using var intruder = ActorSystem.Create(FleetSystemConfig.SystemName, FleetSystemConfig.Setup(
            intruderOptions, NodeIdentity.Named("intruder"), credentials, new FleetPeerValidator(new FleetTrust(credentials.Ca, TimeProvider.System), _ => { })));
        var intruderUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(intruder).RegisterOnMemberUp(() => intruderUp.TrySetResult());

        // Refused in the handshake. Its attempt is over when it tries again (refused again) or when its
        // actor system ends (Akka shuts a node down whose outbound TLS handshake failed, with TLS 1.2);
        // whichever comes first, nothing of it was read, and the members seen after it prove it.
        var refused = await a.NextRefusedAsync();
        Assert.Equal("CN=intruder, OU=node, O=DPlaneOS fleet", refused.Subject);
        Assert.Contains("CN=intruder, OU=node, O=DPlaneOS fleet: does not chain to the fleet CA", refused.Reason, StringComparison.Ordinal);
        var again = a.NextRefusedAsync();
        await Task.WhenAny(again, intruder.WhenTerminated).WaitAsync(Patience);
        if (again.IsCompletedSuccessfully)
            Assert.Equal("CN=intruder, OU=node, O=DPlaneOS fleet", (await again).Subject);

        var seenByA = await aProbe.Ask<ImmutableDictionary<UniqueAddress, MemberStatus>>(MembershipProbe.Protocol.Snapshot.Instance, Patience);
        var seenByB = await bProbe.Ask<ImmutableDictionary<UniqueAddress, MemberStatus>>(MembershipProbe.Protocol.Snapshot.Instance, Patience);
        Assert.True(both(seenByA), string.Join(", ", seenByA));
        Assert.True(both(seenByB), string.Join(", ", seenByB));
        Assert.False(intruderUp.Task.IsCompleted);
    }

    [Fact]
    public async Task A_plain_TCP_client_is_refused_before_anything_it_sends_is_read()
    {
        var port = FreePorts(1)[0];
        var a = Start("nas-a", port, _fleet, seeds: port);
        var aSystem = await a.NextStartedAsync();
        var aProbe = a.Probe(aSystem);
        await MembershipProbe.WhenAsync(aProbe, MembershipProbe.ExactlyUp(Self(aSystem)), Patience);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        // A length-prefixed frame, as Akka.Remote's framing expects; without TLS it is a broken handshake.
        await stream.WriteAsync(new byte[] { 4, 0, 0, 0, 1, 2, 3, 4 });
        var buffer = new byte[4096];
        var closed = false;
        try
        {
            // The node answers a plain client with at most a TLS alert, then closes the connection.
            while (await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience) > 0)
            {
            }
            closed = true;
        }
        catch (IOException)
        {
            closed = true;
        }

        Assert.True(closed);
        var seen = await aProbe.Ask<ImmutableDictionary<UniqueAddress, MemberStatus>>(MembershipProbe.Protocol.Snapshot.Instance, Patience);
        Assert.True(MembershipProbe.ExactlyUp(Self(aSystem))(seen), string.Join(", ", seen));
        Assert.Same(aSystem, a.Plane.Current);
    }

    [Fact]
    public async Task A_plane_whose_own_certificate_is_not_from_its_fleet_CA_does_not_start()
    {
        using var rogue = new TestFleetCertificates("rogue CA");
        var plane = new FleetPlane(Options("stray", FreePorts(1)[0], rogue, seeds: 4053, caPath: _fleet.CaPath), NodeIdentity.Named("stray"), TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => plane.StartAsync(CancellationToken.None));

        Assert.Contains("this node's own certificate is refused by its own fleet CA (CN=stray, OU=node, O=DPlaneOS fleet: does not chain to the fleet CA", error.Message, StringComparison.Ordinal);
        Assert.Null(plane.Current);
        Assert.Equal(0, plane.Incarnations);
    }

    [Fact]
    public async Task A_downed_fleet_plane_rebuilds_and_rejoins_while_the_safety_plane_goes_on()
    {
        using var safety = ActorSystem.Create("dplaneos", ConfigurationFactory.ParseString("akka.actor.provider = local"));
        var ticks = safety.ActorOf(Props.Create(() => new Ticker()), "ticker");
        var ports = FreePorts(2);
        var a = Start("nas-a", ports[0], _fleet, seeds: ports[0]);
        var b = Start("nas-b", ports[1], _fleet, seeds: ports[0]);
        var (aSystem, bSystem) = (await a.NextStartedAsync(), await b.NextStartedAsync());
        var aProbe = a.Probe(aSystem);
        await MembershipProbe.WhenAsync(aProbe, MembershipProbe.ExactlyUp(Self(aSystem), Self(bSystem)), Patience);
        await MembershipProbe.WhenAsync(b.Probe(bSystem), MembershipProbe.ExactlyUp(Self(aSystem), Self(bSystem)), Patience);
        var before = await TicksAsync(ticks);

        Cluster.Get(bSystem).Down(Cluster.Get(bSystem).SelfAddress);

        var ended = await b.NextEndedAsync();
        Assert.Equal(1, ended.Incarnation);
        Assert.True(ended.WasMember);
        Assert.True(bSystem.WhenTerminated.IsCompleted);
        var whileDown = await TicksAsync(ticks);
        var bSystem2 = await b.NextStartedAsync();
        Assert.NotSame(bSystem, bSystem2);
        Assert.Equal(Self(bSystem).Address, Self(bSystem2).Address);
        Assert.NotEqual(Self(bSystem).Uid, Self(bSystem2).Uid);
        var rejoined = MembershipProbe.ExactlyUp(Self(aSystem), Self(bSystem2));
        await MembershipProbe.WhenAsync(aProbe, rejoined, Patience);
        await MembershipProbe.WhenAsync(b.Probe(bSystem2), rejoined, Patience);
        var after = await TicksAsync(ticks);

        Assert.True(before < whileDown && whileDown < after, $"safety ticks {before}, {whileDown}, {after}");
        Assert.False(safety.WhenTerminated.IsCompleted);
        Assert.Same(aSystem, a.Plane.Current);
        Assert.Equal(1, a.Plane.Incarnations);
    }

    private static UniqueAddress Self(ActorSystem system) => Cluster.Get(system).SelfUniqueAddress;

    private static async Task<int> TicksAsync(IActorRef ticker)
    {
        // Two reads: the second is a tick later than the first, so the count is moving, not just large.
        var first = await ticker.Ask<int>(Ticker.Count.Instance, Patience);
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        ticker.Tell(new Ticker.After(first, done));
        return await done.Task.WaitAsync(Patience);
    }

    private PlaneUnderTest Start(string name, int port, TestFleetCertificates certificates, int seeds, string? caPath = null)
    {
        var plane = new PlaneUnderTest(new FleetPlane(Options(name, port, certificates, seeds, caPath), NodeIdentity.Named(name), TimeProvider.System));
        _planes.Add(plane);
        plane.Plane.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return plane;
    }

    private static FleetOptions Options(string name, int port, TestFleetCertificates certificates, int seeds, string? caPath = null) =>
        new()
        {
            Hostname = "127.0.0.1",
            Port = port,
            SeedNodes = [$"127.0.0.1:{seeds}"],
            CertificatePath = certificates.Node(name, password: "pw-" + name),
            CertificatePassword = "pw-" + name,
            CaPath = caPath ?? certificates.CaPath,
            JoinTimeout = TimeSpan.FromSeconds(30),
            RebuildMinBackoff = TimeSpan.FromMilliseconds(100),
            RebuildMaxBackoff = TimeSpan.FromMilliseconds(500),
        };

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>A fleet plane with its events in channels.</summary>
    private sealed class PlaneUnderTest : IAsyncDisposable
    {
        private readonly Channel<FleetIncarnationStarted> _started = Channel.CreateUnbounded<FleetIncarnationStarted>();
        private readonly Channel<FleetIncarnationEnded> _ended = Channel.CreateUnbounded<FleetIncarnationEnded>();
        private readonly Channel<FleetPeerRefused> _refused = Channel.CreateUnbounded<FleetPeerRefused>();

        public PlaneUnderTest(FleetPlane plane)
        {
            Plane = plane;
            plane.IncarnationStarted += e => _started.Writer.TryWrite(e);
            plane.IncarnationEnded += e => _ended.Writer.TryWrite(e);
            plane.PeerRefused += e => _refused.Writer.TryWrite(e);
        }

        public FleetPlane Plane { get; }

        public async Task<ActorSystem> NextStartedAsync() => (await _started.Reader.ReadAsync().AsTask().WaitAsync(Patience)).System;

        public Task<FleetIncarnationEnded> NextEndedAsync() => _ended.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        public Task<FleetPeerRefused> NextRefusedAsync() => _refused.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        public IActorRef Probe(ActorSystem system) => system.ActorOf(Props.Create(() => new MembershipProbe()));

        public async ValueTask DisposeAsync() => await Plane.DisposeAsync();
    }

    /// <summary>A safety-plane stand-in: counts its own timer ticks.</summary>
    private sealed class Ticker : ReceiveActor, IWithTimers
    {
        private readonly List<After> _waiting = [];
        private int _count;

        public sealed record Tick
        {
            public static readonly Tick Instance = new();
        }

        public sealed record Count
        {
            public static readonly Count Instance = new();
        }

        public sealed record After(int Count, TaskCompletionSource<int> Done);

        public Ticker()
        {
            Receive<Tick>(_ =>
            {
                _count++;
                _waiting.RemoveAll(w => w.Count < _count && w.Done.TrySetResult(_count));
            });
            Receive<Count>(_ => Sender.Tell(_count));
            Receive<After>(w =>
            {
                if (w.Count < _count)
                    w.Done.TrySetResult(_count);
                else
                    _waiting.Add(w);
            });
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer("tick", Tick.Instance, TimeSpan.FromMilliseconds(20));
    }
}
