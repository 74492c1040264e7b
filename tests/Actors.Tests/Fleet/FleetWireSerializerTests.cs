using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using DPlaneOS.Actors.Fleet.Summary;
using DPlaneOS.Actors.Fleet.Wire;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Smart;
using HeartbeatHealth = DPlaneOS.Actors.Storage.Pools.PoolHealth;

namespace DPlaneOS.Actors.Tests.Fleet;

/// <summary>What crosses nodes: a stable name per message, JSON, and nothing by CLR type name.</summary>
public sealed class FleetWireSerializerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 17, 0, 0, TimeSpan.Zero);

    private static readonly NodeSummary Summary = new("nas-01", "nas-01.lan:4053", "1.4.0", At.AddHours(-2),
        [new PoolSummary("tank", "DEGRADED", 81, CapacityLevel.Warning, RiskLevel.High, HeartbeatHealth.Degraded)], 2, At);

    // Written by this release; a later release must still read it (the test pins the v1 shape).
    private const string SummaryV1 = """
        {"name":"nas-01","address":"nas-01.lan:4053","version":"1.4.0","started":"2026-12-03T15:00:00+00:00",
         "pools":[{"name":"tank","state":"DEGRADED","capacityPercent":81,"capacityLevel":"warning","worstDiskRisk":"high","heartbeat":"degraded"}],
         "activeAlerts":2,"takenAt":"2026-12-03T17:00:00+00:00"}
        """;

    private readonly ActorSystem _system = ActorSystem.Create("wire", ConfigurationFactory.ParseString(FleetWireSerializer.Hocon + """
        akka.actor.serializers.json = "DPlaneOS.Actors.Persistence.RefusingSerializer, DPlaneOS.Actors"
        akka.actor.serialization-bindings { "System.Object" = json }
        """));

    public void Dispose() => _system.Dispose();

    [Fact]
    public void A_node_summary_goes_by_its_name_and_comes_back_equal()
    {
        var serializer = Assert.IsType<FleetWireSerializer>(_system.Serialization.FindSerializerFor(Summary));
        Assert.Equal("fleet.node-summary.v1", Akka.Serialization.Serialization.ManifestFor(serializer, Summary));
        var bytes = serializer.ToBinary(Summary);
        Assert.DoesNotContain("DPlaneOS", Encoding.UTF8.GetString(bytes));
        var back = Assert.IsType<NodeSummary>(serializer.FromBinary(bytes, "fleet.node-summary.v1"));
        Assert.Equal(Summary with { Pools = [] }, back with { Pools = [] });
        Assert.Equal(Summary.Pools, back.Pools);
    }

    [Fact]
    public void A_v1_frame_as_written_by_this_release_is_read()
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerForType(typeof(NodeSummary));
        var back = Assert.IsType<NodeSummary>(serializer.FromBinary(Encoding.UTF8.GetBytes(SummaryV1), "fleet.node-summary.v1"));
        Assert.Equal(Summary.Pools, back.Pools);
        Assert.Equal(Summary with { Pools = [] }, back with { Pools = [] });
    }

    [Fact]
    public void An_unknown_manifest_is_refused_by_name()
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerForType(typeof(NodeSummary));
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "System.String, System.Private.CoreLib"));
        Assert.Contains("Unknown fleet message manifest 'System.String, System.Private.CoreLib'", error.Message);
    }

    [Fact]
    public void A_message_that_is_not_a_fleet_message_cannot_be_written()
    {
        var notFleet = new DPlaneOS.Actors.Storage.Pools.PoolManager.Protocol.ResumeHeartbeat("tank");
        Assert.Throws<NotSupportedException>(() => { _system.Serialization.Serialize(notFleet); });
    }

    [Fact]
    public void Every_fleet_message_has_a_unique_versioned_name() =>
        Assert.All(FleetWireSerializer.Table.Entries, e => Assert.Matches(@"^fleet\.[a-z0-9-]+\.v[0-9]+$", e.Manifest));
}

/// <summary>The fleet messages of the bus bridge and the health responder: by name, JSON, back equal.</summary>
public sealed class FleetWireMessageRoundTripTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 17, 0, 0, TimeSpan.Zero);

    private readonly ActorSystem _system = ActorSystem.Create("wire", ConfigurationFactory.ParseString(FleetWireSerializer.Hocon + """
        akka.actor.serializers.json = "DPlaneOS.Actors.Persistence.RefusingSerializer, DPlaneOS.Actors"
        akka.actor.serialization-bindings { "System.Object" = json }
        """));

    public void Dispose() => _system.Dispose();

    [Fact]
    public void A_monitor_event_crosses_as_fleet_monitor_event_v1()
    {
        var sent = new DPlaneOS.Actors.Fleet.Bus.FleetMonitorEvent(new DPlaneOS.Actors.Events.MonitorEvent("id-1", "pool.degraded",
            DPlaneOS.Actors.Events.Severity.Critical, "tank", "nas-a", At, new Dictionary<string, string> { ["state"] = "DEGRADED" }));

        var back = Assert.IsType<DPlaneOS.Actors.Fleet.Bus.FleetMonitorEvent>(RoundTrip(sent, "fleet.monitor-event.v1"));

        var none = new Dictionary<string, string>();
        Assert.Equal(sent.Event with { Data = none }, back.Event with { Data = none });
        Assert.Equal(sent.Event.Data, back.Event.Data);
    }

    [Fact]
    public void A_health_request_crosses_as_fleet_health_request_v1() =>
        Assert.IsType<DPlaneOS.Actors.Fleet.Health.FleetHealthRequest>(RoundTrip(DPlaneOS.Actors.Fleet.Health.FleetHealthRequest.Instance, "fleet.health-request.v1"));

    [Fact]
    public void A_full_health_report_of_a_degraded_pool_crosses_as_fleet_health_report_v1()
    {
        var report = FleetTestReports.Degraded(At);
        var summary = new NodeSummary("nas-a", "127.0.0.1:4053", "1.4.0", At, [new PoolSummary("tank", "DEGRADED", 81, CapacityLevel.Warning, RiskLevel.High, HeartbeatHealth.Degraded)], 1, At);
        var sent = new DPlaneOS.Actors.Fleet.Health.FleetHealthResponse(summary, report);

        var back = Assert.IsType<DPlaneOS.Actors.Fleet.Health.FleetHealthResponse>(RoundTrip(sent, "fleet.health-report.v1"));

        // Records with lists compare by reference: compare what the JSON says instead, both ways.
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(sent, DPlaneOS.Actors.Manifests.ManifestJsonSerializer.Json),
            System.Text.Json.JsonSerializer.Serialize(back, DPlaneOS.Actors.Manifests.ManifestJsonSerializer.Json));
        Assert.NotEmpty(back.Health.Pools);
        Assert.Equal(report.Pools[0].Disks.Count, back.Health.Pools[0].Disks.Count);
    }

    private object RoundTrip(object message, string manifest)
    {
        var serializer = Assert.IsType<FleetWireSerializer>(_system.Serialization.FindSerializerFor(message));
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, message));
        var bytes = serializer.ToBinary(message);
        Assert.DoesNotContain("DPlaneOS", Encoding.UTF8.GetString(bytes));
        return serializer.FromBinary(bytes, manifest);
    }
}

/// <summary>A real health report: the captured zfs-fuse status of a degraded mirror, through the report builder.</summary>
internal static class FleetTestReports
{
    public static HealthReport Degraded(DateTimeOffset at, [System.Runtime.CompilerServices.CallerFilePath] string here = "")
    {
        var fixture = Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Zfs.Tests", "Fixtures", "zpool", "zfsfuse-zpool-status-mirror-degraded-offline.txt");
        var pools = DPlaneOS.Zfs.Parsing.ZpoolStatusParser.Parse(File.ReadAllText(fixture)).Value;
        return HealthReportBuilder.Build(at, pools, new Dictionary<string, DeviceResolution>(), new Dictionary<string, SmartObservation>(), null);
    }
}
