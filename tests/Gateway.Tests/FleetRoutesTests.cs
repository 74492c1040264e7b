using System.Net;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

/// <summary>The fleet routes on a single node: the same routes, listing the one node.</summary>
public sealed class FleetRoutesTests
{
    private static Task<DaemonFixture> StartAsync()
    {
        var zfs = new FakeMountZfs();
        zfs.Mounted("tank", "/tank");
        var prober = new FakePoolProber();
        prober.Fail("/tank", "write failed: Input/output error");
        return HeartbeatDaemon.StartAsync(zfs, prober, new Dictionary<string, string>
        {
            ["DPlaneOS:NodeName"] = "nas-01",
            ["DPlaneOS:Status:RefreshInterval"] = "00:00:00.200",
        });
    }

    [Fact]
    public async Task The_single_node_lists_itself_up_with_its_pools_heartbeat_version_and_start()
    {
        await using var daemon = await StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().GetAsync("/api/fleet/nodes")).StatusCode);
        var client = daemon.Client(daemon.Token);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement node;
        while (true)
        {
            var json = JsonDocument.Parse(await client.GetStringAsync("/api/fleet/nodes")).RootElement;
            node = json.GetProperty("nodes").EnumerateArray().Single();
            var pool = node.GetProperty("summary").GetProperty("pools").EnumerateArray().FirstOrDefault();
            if (pool.ValueKind == JsonValueKind.Object && pool.GetProperty("heartbeat").GetString() == "failed"
                && pool.GetProperty("capacityPercent").ValueKind == JsonValueKind.Number) break;
            if (DateTime.UtcNow > deadline) Assert.Fail($"tank never summarized with its failed heartbeat and capacity: {json}");
            await Task.Delay(50);
        }

        Assert.Equal("nas-01", node.GetProperty("name").GetString());
        Assert.Equal("up", node.GetProperty("status").GetString());
        var summary = node.GetProperty("summary");
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("address").ValueKind);
        Assert.Equal(node.GetProperty("lastSeen").GetDateTimeOffset(), summary.GetProperty("takenAt").GetDateTimeOffset());

        var starts = JsonDocument.Parse(await client.GetStringAsync("/api/system/starts")).RootElement.GetProperty("items");
        var newest = starts.EnumerateArray().MaxBy(s => s.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(newest.GetProperty("version").GetString(), summary.GetProperty("version").GetString());
        Assert.Equal(newest.GetProperty("at").GetDateTimeOffset(), summary.GetProperty("started").GetDateTimeOffset());

        var tank = summary.GetProperty("pools").EnumerateArray().Single();
        Assert.Equal("tank", tank.GetProperty("name").GetString());
        Assert.Equal("ONLINE", tank.GetProperty("state").GetString());
        Assert.Equal("low", tank.GetProperty("worstDiskRisk").GetString());
        Assert.Equal("ok", tank.GetProperty("capacityLevel").GetString());
        // The failed heartbeat raises pool.failed; whether the router has it active yet is timing, so only the type is checked.
        Assert.Equal(JsonValueKind.Number, summary.GetProperty("activeAlerts").ValueKind);
    }

    [Fact]
    public async Task One_node_answers_with_its_health_report_and_an_unknown_name_is_a_404_problem()
    {
        await using var daemon = await StartAsync();
        var client = daemon.Client(daemon.Token);

        var self = JsonDocument.Parse(await client.GetStringAsync("/api/fleet/nodes/nas-01")).RootElement;
        Assert.Equal("nas-01", self.GetProperty("node").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, self.GetProperty("health").ValueKind);
        Assert.Equal(JsonValueKind.Null, self.GetProperty("error").ValueKind);

        var missing = await client.GetAsync("/api/fleet/nodes/nas-02");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nas-02", await missing.Content.ReadAsStringAsync());
    }
}
