using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Node;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests;

/// <summary>
/// A TestKit on virtual time (Akka's TestScheduler drives every timer), with the real
/// <see cref="MonitorBus"/> (the system's <see cref="LocalBus"/>), an in-memory journal, and the daemon's
/// own HOCON (the stable-name serializer bindings), and the daemon's <see cref="Supervision"/>.
/// </summary>
public abstract class VirtualTimeTestKit : TestKit
{
    /// <summary>The system's <see cref="Supervision"/> with the default settings, as the daemon installs it.</summary>
    protected VirtualTimeTestKit() : base(VirtualTimeConfig) =>
        Supervision.Install(Sys, new SupervisionOptions(), NodeIdentity.Named("nas1"), TimeProvider.System);

    private static Config VirtualTimeConfig =>
        ConfigurationFactory.ParseString("""
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
        MonitorBus.Subscribe(Sys, probe.Ref);
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
