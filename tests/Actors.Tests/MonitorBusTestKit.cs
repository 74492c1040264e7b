using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Events;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests;

/// <summary>
/// A TestKit in which actors publish on the real <see cref="MonitorBus"/> (the system's <see cref="LocalBus"/>)
/// and tests read what they published from a subscribed probe.
/// </summary>
public abstract class MonitorBusTestKit : TestKit
{
    private const string Config = """
        akka.loglevel = INFO
        """;

    protected MonitorBusTestKit() : base(Config)
    {
    }

    /// <summary>A probe subscribed to the monitor topic; returns once the subscription is live.</summary>
    protected TestProbe SubscribeToMonitorBus()
    {
        var probe = CreateTestProbe();
        MonitorBus.Subscribe(Sys, probe);
        probe.ExpectMsg<SubscribeAck>(TimeSpan.FromSeconds(10));
        return probe;
    }

    /// <summary>The next event of <paramref name="type"/>, skipping others.</summary>
    protected static MonitorEvent ExpectEvent(TestProbe bus, string type, TimeSpan? within = null) =>
        bus.FishForMessage<MonitorEvent>(e => e.Type == type, within ?? TimeSpan.FromSeconds(5));
}
