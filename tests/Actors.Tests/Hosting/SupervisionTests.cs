using Akka.Actor;
using Akka.TestKit;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Hosting;

public sealed class SupervisionTests : MonitorBusTestKit
{
    private static readonly SupervisionOptions Fast = new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(40),
        RandomFactor = 0,
        MaxRetries = 3,
        ResetAfter = TimeSpan.FromMinutes(1),
    };

    private readonly Supervision _supervision;
    private readonly TestProbe _starts;

    public SupervisionTests()
    {
        _supervision = Supervision.Install(Sys, Fast, NodeIdentity.Named("nas1"), TimeProvider.System);
        _starts = CreateTestProbe();
    }

    /// <summary>Tells the probe it started, then crashes on its first message (sent to itself).</summary>
    private sealed class AlwaysCrashing : ReceiveActor
    {
        public AlwaysCrashing(IActorRef starts)
        {
            starts.Tell("started");
            Receive<string>(_ => throw new InvalidOperationException("boom"));
        }

        protected override void PreStart() => Self.Tell("crash");
    }

    /// <summary>Stops itself on its first message, as a persistent actor does when its journal fails.</summary>
    private sealed class AlwaysStopping : ReceiveActor
    {
        public AlwaysStopping(IActorRef starts)
        {
            starts.Tell("started");
            Receive<string>(_ => Context.Stop(Self));
        }

        protected override void PreStart() => Self.Tell("stop");
    }

    private sealed class Idle : ReceiveActor;

    /// <summary>A parent as StorageSupervisor is one: starts its child here and reports a child it did not stop.</summary>
    private sealed class Parent : ReceiveActor
    {
        public Parent(Props child)
        {
            var supervision = Supervision.For(Context.System);
            supervision.RestartOnFailure(Context, child, "child");
            Receive<Terminated>(terminated => supervision.GaveUp(terminated.ActorRef));
        }
    }

    private int StartsSeen()
    {
        var count = 0;
        while (_starts.HasMessages)
        {
            _starts.ExpectMsg("started");
            count++;
        }
        return count;
    }

    [Fact]
    public void A_child_that_always_crashes_is_restarted_MaxRetries_times_then_given_up_with_an_event()
    {
        var bus = SubscribeToMonitorBus();
        var supervisor = _supervision.RestartOnFailure(Sys, Props.Create(() => new AlwaysCrashing(_starts.Ref)), "crashing");
        Watch(supervisor);

        var gaveUp = bus.FishForMessage<MonitorEvent>(e => e.Type == SupervisionEvents.GaveUp, TimeSpan.FromSeconds(10));
        ExpectTerminated(supervisor);

        Assert.Equal((Severity.Critical, "/user/crashing", "nas1", "3"), (gaveUp.Severity, gaveUp.Subject, gaveUp.Node, gaveUp.Data[SupervisionEvents.RetriesKey]));
        // The first start and three restarts; every start was told before the supervisor stopped.
        Assert.Equal(1 + Fast.MaxRetries, StartsSeen());
    }

    [Fact]
    public void A_persistent_style_child_that_keeps_stopping_is_restarted_MaxRetries_times_then_given_up()
    {
        var bus = SubscribeToMonitorBus();
        var supervisor = _supervision.RestartOnStop(Sys, Props.Create(() => new AlwaysStopping(_starts.Ref)), "stopping", "writer");

        var gaveUp = bus.FishForMessage<MonitorEvent>(e => e.Type == SupervisionEvents.GaveUp, TimeSpan.FromSeconds(10));

        Assert.Equal(supervisor.Path.ToStringWithoutAddress(), gaveUp.Subject);
        Assert.Equal(1 + Fast.MaxRetries, StartsSeen());
    }

    [Fact]
    public void A_nested_child_is_reported_by_its_parent_and_stopping_the_parent_reports_nothing()
    {
        var bus = SubscribeToMonitorBus();
        Sys.ActorOf(Props.Create(() => new Parent(Props.Create(() => new AlwaysCrashing(_starts.Ref)))), "storage");
        var gaveUp = bus.FishForMessage<MonitorEvent>(e => e.Type == SupervisionEvents.GaveUp, TimeSpan.FromSeconds(10));
        Assert.Equal("/user/storage/child", gaveUp.Subject);

        // A healthy child under a parent that is stopped: the parent handles no Terminated, so no event; the
        // next event on the bus is the one published after the stop completed.
        var healthy = Sys.ActorOf(Props.Create(() => new Parent(Props.Create<Idle>())), "quiet");
        Watch(healthy);
        Sys.Stop(healthy);
        ExpectTerminated(healthy);
        var marker = MonitorEvent.Create(NodeIdentity.Named("nas1"), "test.marker", Severity.Info, "marker", DateTimeOffset.UnixEpoch);
        MonitorBus.Publish(Sys, marker);
        Assert.Equal("test.marker", bus.ExpectMsg<MonitorEvent>().Type);
    }

    [Theory]
    [InlineData(0, 30, 0.2, 10, 60)]
    [InlineData(5, 1, 0.2, 10, 60)]
    [InlineData(1, 30, 1.5, 10, 60)]
    [InlineData(1, 30, 0.2, 0, 60)]
    [InlineData(1, 30, 0.2, 10, 0)]
    public void Bad_settings_stop_the_start(int minSeconds, int maxSeconds, double randomFactor, int maxRetries, int resetSeconds)
    {
        var options = new SupervisionOptions
        {
            MinBackoff = TimeSpan.FromSeconds(minSeconds),
            MaxBackoff = TimeSpan.FromSeconds(maxSeconds),
            RandomFactor = randomFactor,
            MaxRetries = maxRetries,
            ResetAfter = TimeSpan.FromSeconds(resetSeconds),
        };
        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.StartsWith("DPlaneOS:Supervision:", error.Message);
    }

    [Fact]
    public void The_defaults_are_the_spec_values_and_valid()
    {
        var options = new SupervisionOptions();
        options.Validate();
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, 10, TimeSpan.FromMinutes(1)),
            (options.MinBackoff, options.MaxBackoff, options.RandomFactor, options.MaxRetries, options.ResetAfter));
    }
}
