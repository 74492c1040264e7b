using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Tests;

/// <summary>
/// A TestKit whose system is a one-node cluster, so actors publish on the real <see cref="MonitorBus"/>
/// (DistributedPubSub) and tests read what they published from a subscribed probe.
/// </summary>
public abstract class MonitorBusTestKit : TestKit
{
    private const string Config = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = INFO
        """;

    protected MonitorBusTestKit() : base(Config)
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
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
