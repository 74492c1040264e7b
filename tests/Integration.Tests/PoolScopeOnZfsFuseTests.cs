using System.Diagnostics;
using System.Text.Json;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests;

/// <summary>
/// <c>DPlaneOS:Zfs:Pools</c> on real zfs-fuse with two pools: the daemon reads, measures and probes only
/// its own, as each node of a fleet sharing one host's ZFS must.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class PoolScopeOnZfsFuseTests
{
    private static IEnumerable<string?> Names(JsonElement report, string array) =>
        report.GetProperty(array).EnumerateArray().Select(p => p.GetProperty(p.TryGetProperty("name", out _) ? "name" : "pool").GetString());

    [Fact]
    public async Task A_daemon_limited_to_one_pool_never_shows_the_other_in_health_iostat_capacity_or_heartbeats()
    {
        await using var mine = await LabPool.CreateAsync();
        await using var other = await LabPool.CreateAsync();
        await using var daemon = await DaemonFixture.StartAsync(settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Status:RefreshInterval"] = "00:00:01",
            ["DPlaneOS:Zfs:Pools:0"] = mine.Name,
            ["DPlaneOS:Heartbeat:Enabled"] = "true",
            ["DPlaneOS:Heartbeat:Interval"] = "00:00:02",
        });
        var client = daemon.Client(daemon.Token);

        // Wait until every view holds this daemon's pool: the reads that found it saw the other pool too.
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var health = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/health")).RootElement;
            var capacity = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/capacity")).RootElement;
            var heartbeat = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/heartbeat")).RootElement;
            var iostat = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/iostat")).RootElement;
            var seen = new[] { Names(health, "pools"), Names(capacity, "pools"), Names(heartbeat, "pools") };
            if (seen.All(names => names.Contains(mine.Name)) && iostat.GetProperty("devices").EnumerateArray().Any())
            {
                Assert.All(seen, names => Assert.Equal([mine.Name], names));
                var devices = iostat.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToList();
                Assert.Contains(mine.Name, devices);
                Assert.DoesNotContain(other.Name, devices);
                break;
            }
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail($"{mine.Name} not in every view within 30 s: {health} {capacity} {heartbeat}");
            await Task.Delay(200);
        }

        // The other pool is there for a daemon without the setting.
        Assert.Contains(other.Name, await Lab.HostAsync("zpool", "list", "-H", "-o", "name"));
        Assert.False(File.Exists(Path.Combine(other.Mountpoint, ".dplaneos")), "the other pool was probed");
    }
}
