using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests;

/// <summary>The real daemon, real zpool, real zfs-fuse pools on by-id linked files, real faults.</summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class ZfsHealthOnZfsFuseTests
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    private static Task<DaemonFixture> StartDaemonAsync() =>
        DaemonFixture.StartAsync(settings: new Dictionary<string, string> { ["DPlaneOS:Status:RefreshInterval"] = Refresh.ToString() });

    private static async Task<JsonElement> PoolAsync(HttpClient client, string pool)
    {
        var health = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/health")).RootElement;
        return health.GetProperty("pools").EnumerateArray().FirstOrDefault(p => p.GetProperty("name").GetString() == pool);
    }

    private static async Task<JsonElement> WaitForPoolAsync(HttpClient client, string pool, Func<JsonElement, bool> condition, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var found = await PoolAsync(client, pool);
            if (found.ValueKind == JsonValueKind.Object && condition(found)) return found;
            if (stopwatch.Elapsed > within) Assert.Fail($"pool {pool} did not reach the expected state within {within}: {found}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Liveness_is_open_and_health_needs_the_token()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await StartDaemonAsync();
        Assert.Equal(HttpStatusCode.OK, (await daemon.Client().GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().GetAsync("/api/zfs/health")).StatusCode);

        var client = daemon.Client(daemon.Token);
        var found = await WaitForPoolAsync(client, pool.Name, p => p.GetProperty("state").GetString() == "ONLINE", TimeSpan.FromSeconds(15));
        var disks = found.GetProperty("disks").EnumerateArray().ToList();
        Assert.Equal(2, disks.Count);
        Assert.All(disks, d => Assert.Equal("ONLINE", d.GetProperty("state").GetString()));
        Assert.All(disks, d => Assert.Equal("not a block device (file vdev)", d.GetProperty("smart").GetProperty("reason").GetString()));
        Assert.Equal("mirror-0", found.GetProperty("vdevs").GetProperty("children")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_disk_taken_offline_shows_as_degraded_with_that_vdev_offline_within_one_refresh()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await StartDaemonAsync();
        var client = daemon.Client(daemon.Token);
        await WaitForPoolAsync(client, pool.Name, p => p.GetProperty("state").GetString() == "ONLINE", TimeSpan.FromSeconds(15));

        await pool.InjectAsync("degraded", pool.Disks[1]);
        var injected = Stopwatch.StartNew();
        // One refresh interval, plus the time one zpool status takes on zfs-fuse.
        var degraded = await WaitForPoolAsync(client, pool.Name, p => p.GetProperty("state").GetString() == "DEGRADED", Refresh * 2 + TimeSpan.FromSeconds(3));
        var seenAfter = injected.Elapsed;

        var offline = degraded.GetProperty("disks").EnumerateArray().Single(d => d.GetProperty("state").GetString() == "OFFLINE");
        Assert.EndsWith(Path.GetFileName(pool.Disks[1]), offline.GetProperty("name").GetString());
        Assert.Equal("high", degraded.GetProperty("overallRisk").GetString());
        Assert.Contains("offline", degraded.GetProperty("status").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(seenAfter < Refresh * 2 + TimeSpan.FromSeconds(3), $"seen after {seenAfter}");

        await pool.UndoAsync("degraded", pool.Disks[1]);
        await WaitForPoolAsync(client, pool.Name, p => p.GetProperty("state").GetString() == "ONLINE", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Checksum_errors_after_a_scrub_raise_that_disks_risk()
    {
        await using var pool = await LabPool.CreateAsync();
        await pool.InjectAsync("cksum", pool.Disks[0]);
        await using var daemon = await StartDaemonAsync();
        var client = daemon.Client(daemon.Token);
        var found = await WaitForPoolAsync(client, pool.Name, p => p.GetProperty("disks").EnumerateArray().Any(d => d.GetProperty("checksumErrors").GetInt64() > 0), TimeSpan.FromSeconds(15));
        var damaged = found.GetProperty("disks").EnumerateArray().Single(d => d.GetProperty("checksumErrors").GetInt64() > 0);
        Assert.EndsWith(Path.GetFileName(pool.Disks[0]), damaged.GetProperty("name").GetString());
        Assert.NotEqual("low", damaged.GetProperty("risk").GetProperty("level").GetString());
        Assert.Contains(damaged.GetProperty("risk").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("checksum", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("scrub", found.GetProperty("scan").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Capacity_iostat_and_events_come_from_the_real_zpool()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await StartDaemonAsync();
        var client = daemon.Client(daemon.Token);
        await WaitForPoolAsync(client, pool.Name, _ => true, TimeSpan.FromSeconds(15));

        var capacity = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/capacity")).RootElement;
        var entry = capacity.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("name").GetString() == pool.Name);
        Assert.InRange(entry.GetProperty("size").GetInt64(), 100L << 20, 128L << 20);
        Assert.Equal("ok", entry.GetProperty("level").GetString());

        var iostat = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/iostat")).RootElement;
        Assert.True(iostat.GetProperty("error").ValueKind == JsonValueKind.Null, iostat.ToString());
        Assert.Contains(iostat.GetProperty("devices").EnumerateArray(), d => d.GetProperty("name").GetString() == pool.Name);

        var events = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/events")).RootElement;
        Assert.False(events.GetProperty("supported").GetBoolean());
        Assert.Contains("not supported by this ZFS", events.GetProperty("error").GetString());
    }
}
