using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Tests;

/// <summary>
/// A TestKit on virtual time (Akka's TestScheduler drives every timer), with the cluster provider so
/// the real <see cref="MonitorBus"/> (DistributedPubSub) works, an in-memory journal, and the daemon's
/// own HOCON (the stable-name serializer bindings).
/// </summary>
public abstract class VirtualTimeTestKit() : TestKit(VirtualTimeConfig)
{
    private static Config VirtualTimeConfig =>
        ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = 0
            akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            akka.loglevel = INFO
            """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "dplaned.conf"))));

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    /// <summary>A probe that receives every MonitorEvent published from now on.</summary>
    protected TestProbe MonitorProbe()
    {
        var probe = CreateTestProbe();
        // The ack goes to the sender; outside an actor that would be the TestActor.
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(MonitorBus.Topic, probe.Ref), probe.Ref);
        probe.ExpectMsg<SubscribeAck>();
        return probe;
    }

    /// <summary>The next MonitorEvent of one of <paramref name="types"/>, skipping others.</summary>
    protected static MonitorEvent ExpectEvent(TestProbe probe, params string[] types) =>
        probe.FishForMessage<MonitorEvent>(e => types.Contains(e.Type), TimeSpan.FromSeconds(5));

    /// <summary>Advances virtual time in <paramref name="step"/>s, giving actors real time to react, until <paramref name="done"/>.</summary>
    protected void AdvanceUntil(Func<bool> done, TimeSpan step, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (done()) return;
            Scheduler.Advance(step);
            Thread.Sleep(20);
        }
        Assert.True(done(), $"condition not met after {maxSteps} steps of {step}");
    }
}
