using System.Net;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

public sealed class HeartbeatRoutesTests
{
    [Fact]
    public async Task Heartbeat_shows_each_pools_health_reason_and_mounts_and_needs_the_token()
    {
        var zfs = new FakeMountZfs();
        zfs.Mounted("tank", "/tank", ("tank/apps", "/srv/apps"));
        var prober = new FakePoolProber();
        prober.Fail("/tank", "write failed: Input/output error");
        await using var daemon = await HeartbeatDaemon.StartAsync(zfs, prober);
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().GetAsync("/api/zfs/heartbeat")).StatusCode);

        var client = daemon.Client(daemon.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement pool;
        while (true)
        {
            var json = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/heartbeat")).RootElement;
            pool = json.GetProperty("pools").EnumerateArray().FirstOrDefault();
            if (pool.ValueKind == JsonValueKind.Object && pool.GetProperty("state").GetProperty("health").GetString() == "failed") break;
            if (DateTime.UtcNow > deadline) Assert.Fail($"tank never reported failed: {json}");
            await Task.Delay(50);
        }
        Assert.Equal("tank", pool.GetProperty("pool").GetString());
        Assert.Equal("write failed: Input/output error", pool.GetProperty("state").GetProperty("reason").GetString());
        Assert.Equal("ONLINE", pool.GetProperty("state").GetProperty("poolState").GetString());
        Assert.Equal("/tank", pool.GetProperty("mounts").GetProperty("probeDirectory").GetString());
        Assert.Equal(["/tank", "/srv/apps"], pool.GetProperty("mounts").GetProperty("mountpoints").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Docker_guard_lists_open_windows_and_operations()
    {
        await using var daemon = await HeartbeatDaemon.StartAsync(new FakeMountZfs(), new FakePoolProber());
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().GetAsync("/api/docker/guard")).StatusCode);
        var json = JsonDocument.Parse(await daemon.Client(daemon.Token).GetStringAsync("/api/docker/guard")).RootElement;
        Assert.Equal(0, json.GetProperty("open").GetArrayLength());
        Assert.Equal(0, json.GetProperty("running").GetArrayLength());
    }
}
