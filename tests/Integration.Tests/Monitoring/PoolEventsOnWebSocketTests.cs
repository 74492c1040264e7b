using System.Diagnostics;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests.Monitoring;

/// <summary>What an operator's browser sees: a real pool fault arriving on WS /api/ws/monitor.</summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class PoolEventsOnWebSocketTests
{
    [Fact]
    public async Task A_disk_taken_offline_arrives_as_pool_degraded_on_the_websocket()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await DaemonFixture.StartAsync(settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Status:RefreshInterval"] = "00:00:01",
            ["DPlaneOS:Heartbeat:Interval"] = "00:00:02",
            ["DPlaneOS:Heartbeat:Deadline"] = "00:00:01",
            ["DPlaneOS:Heartbeat:Enabled"] = "true",
            ["DPlaneOS:Heartbeat:Pools:0"] = pool.Name,
        });
        await using var socket = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token, "?types=pool.*")).ReadyAsync();

        await pool.InjectAsync("degraded", pool.Disks[1]);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var frame = await socket.ReceiveAsync(TimeSpan.FromSeconds(30))
                ?? throw new Xunit.Sdk.XunitException($"no pool.degraded frame for {pool.Name} within {stopwatch.Elapsed}");
            if (frame.GetProperty("type").GetString() != "pool.degraded" || frame.GetProperty("subject").GetString() != pool.Name) continue;
            Assert.Equal("warning", frame.GetProperty("severity").GetString());
            Assert.Equal("DEGRADED", frame.GetProperty("data").GetProperty("state").GetString());
            break;
        }
        await pool.UndoAsync("degraded", pool.Disks[1]);
    }
}
