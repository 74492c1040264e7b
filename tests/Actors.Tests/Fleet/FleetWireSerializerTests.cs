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
