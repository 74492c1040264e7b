using DPlaneOS.TestSupport;

using System.Net;
using System.Text.Json;

namespace DPlaneOS.Gateway.Tests;

public sealed class ZfsRoutesTests
{
    private static async Task<JsonElement> GetJson(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task<JsonElement> EventuallyAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var json = await GetJson(client, path);
            if (done(json)) return json;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{path} never reached the expected state: {json}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Health_shows_the_vdev_tree_disks_and_risk_in_camel_case()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);
        var health = await EventuallyAsync(client, "/api/zfs/health", j => j.GetProperty("lastRefresh").ValueKind != JsonValueKind.Null);

        var pool = health.GetProperty("pools").EnumerateArray().Single();
        Assert.Equal("tank", pool.GetProperty("name").GetString());
        Assert.Equal("ONLINE", pool.GetProperty("state").GetString());
        Assert.Equal("low", pool.GetProperty("overallRisk").GetString());
        var mirror = pool.GetProperty("vdevs").GetProperty("children").EnumerateArray().Single();
        Assert.Equal("mirror-0", mirror.GetProperty("name").GetString());
        Assert.Equal(2, mirror.GetProperty("children").GetArrayLength());
        var disks = pool.GetProperty("disks").EnumerateArray().ToList();
        Assert.Equal(["/var/tmp/lab/tank/d1", "/var/tmp/lab/tank/d2"], disks.Select(d => d.GetProperty("name").GetString()));
        Assert.All(disks, d =>
        {
            Assert.Equal(0, d.GetProperty("risk").GetProperty("score").GetInt32());
            Assert.False(d.GetProperty("smart").GetProperty("available").GetBoolean());
            Assert.Equal("no such device", d.GetProperty("smart").GetProperty("reason").GetString());
        });
    }

    [Fact]
    public async Task A_change_on_the_host_shows_within_one_refresh_and_requests_spawn_nothing()
    {
        var zpool = new FakeZpool();
        await using var daemon = await DaemonFixture.StartAsync(zpool);
        var client = daemon.Client(daemon.Token);
        await EventuallyAsync(client, "/api/zfs/health", j => j.GetProperty("pools").GetArrayLength() == 1);

        var callsBefore = zpool.StatusCalls;
        for (var i = 0; i < 50; i++) await GetJson(client, "/api/zfs/health");
        Assert.True(zpool.StatusCalls - callsBefore < 50, "requests must be served from the actor's view, not by running zpool");

        zpool.StatusText = ZfsFuseSamples.MirrorStatus
            .Replace("state: ONLINE", "state: DEGRADED")
            .Replace("tank                     ONLINE", "tank                     DEGRADED")
            .Replace("mirror-0               ONLINE", "mirror-0               DEGRADED")
            .Replace("/var/tmp/lab/tank/d2  ONLINE", "/var/tmp/lab/tank/d2  OFFLINE");
        var degraded = await EventuallyAsync(client, "/api/zfs/health",
            j => j.GetProperty("pools")[0].GetProperty("state").GetString() == "DEGRADED");
        var pool = degraded.GetProperty("pools")[0];
        Assert.Equal("high", pool.GetProperty("overallRisk").GetString());
        Assert.Equal("OFFLINE", pool.GetProperty("disks")[1].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Capacity_reports_sizes_percent_and_level()
    {
        var zpool = new FakeZpool { ListText = "tank\t1G\t870M\t154M\t84%\tONLINE\n" };
        await using var daemon = await DaemonFixture.StartAsync(zpool, zfs: new FakeZfs());
        var capacity = await EventuallyAsync(daemon.Client(daemon.Token), "/api/zfs/capacity", j => j.GetProperty("pools").GetArrayLength() == 1);
        var pool = capacity.GetProperty("pools")[0];
        Assert.Equal("tank", pool.GetProperty("name").GetString());
        Assert.Equal(1073741824, pool.GetProperty("size").GetInt64());
        Assert.Equal(870L * 1024 * 1024, pool.GetProperty("used").GetInt64());
        Assert.Equal(84, pool.GetProperty("percent").GetInt32());
        Assert.Equal("warning", pool.GetProperty("level").GetString());
        Assert.Equal(80, capacity.GetProperty("thresholds").GetProperty("warning").GetInt32());
        Assert.Equal(2, capacity.GetProperty("thresholds").GetProperty("hysteresis").GetInt32());
    }

    [Fact]
    public async Task Events_on_zfs_fuse_say_clearly_that_this_zfs_has_no_event_log()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var events = await EventuallyAsync(daemon.Client(daemon.Token), "/api/zfs/events", j => j.GetProperty("lastRefresh").ValueKind != JsonValueKind.Null);
        Assert.False(events.GetProperty("supported").GetBoolean());
        Assert.Contains("not supported by this ZFS", events.GetProperty("error").GetString());
        Assert.Equal(0, events.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Garbage_from_zpool_is_a_reported_error_not_a_500()
    {
        var zpool = new FakeZpool { StatusText = "  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE x y z\n" };
        await using var daemon = await DaemonFixture.StartAsync(zpool);
        var health = await EventuallyAsync(daemon.Client(daemon.Token), "/api/zfs/health",
            j => j.GetProperty("error").GetString() is { } e && e.Contains("Unparseable"));
        Assert.Equal(0, health.GetProperty("pools").GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_document_lists_every_route()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);
        var openApi = await GetJson(client, "/openapi/v1.json");
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "/healthz", "/api/zfs/health", "/api/zfs/iostat", "/api/zfs/events", "/api/zfs/capacity", "/api/zfs/capacity/reserve", "/api/zfs/capacity/release" }, paths);
        var docs = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("dplaned API", await docs.Content.ReadAsStringAsync());
    }
}
