using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

/// <summary>The capacity routes on the real daemon with fake zpool and zfs behind the real guardian.</summary>
public sealed class CapacityRoutesTests
{
    private static async Task<(DaemonFixture Daemon, HttpClient Client, FakeZfs Zfs)> StartAsync(string list = "tank\t1G\t500M\t524M\t48%\tONLINE\n")
    {
        var zfs = new FakeZfs().WithPool("tank", used: 500_000_000, available: 500_000_000);
        var daemon = await DaemonFixture.StartAsync(new FakeZpool { ListText = list }, zfs: zfs);
        var client = daemon.Client(daemon.Token);
        await CapacityAsync(client, c => c.GetProperty("pools").GetArrayLength() == 1);
        return (daemon, client, zfs);
    }

    private static async Task<JsonElement> CapacityAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var json = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/capacity")).RootElement;
            if (done(json)) return json;
            if (DateTime.UtcNow > deadline) Assert.Fail($"capacity never reached the expected state: {json}");
            await Task.Delay(50);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string route, string body) =>
        client.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Reserve_then_release_shows_in_capacity_and_repeats_are_conflicts()
    {
        var (daemon, client, zfs) = await StartAsync();
        await using var _ = daemon;
        var none = await CapacityAsync(client, c => c.GetProperty("pools")[0].GetProperty("reserve").GetProperty("state").GetString() != "unknown");
        Assert.Equal("none", none.GetProperty("pools")[0].GetProperty("reserve").GetProperty("state").GetString());
        Assert.Equal(2, none.GetProperty("reservePercent").GetDouble());

        var reserved = await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = "tank" });
        Assert.Equal(HttpStatusCode.OK, reserved.StatusCode);
        var body = JsonDocument.Parse(await reserved.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("tank/dplane-reserved", 20_000_000L, 1_000_000_000L), (body.GetProperty("dataset").GetString(), body.GetProperty("bytes").GetInt64(), body.GetProperty("usableBytes").GetInt64()));
        Assert.Equal("20000000", zfs.Property("tank/dplane-reserved", "refreservation"));
        Assert.Equal("off", zfs.Property("tank/dplane-reserved", "canmount"));
        var shown = (await CapacityAsync(client, c => c.GetProperty("pools")[0].GetProperty("reserve").GetProperty("state").GetString() == "reserved"))
            .GetProperty("pools")[0];
        Assert.Equal(20_000_000, shown.GetProperty("reserve").GetProperty("bytes").GetInt64());
        Assert.Equal((1073741824L, 48, "ok"), (shown.GetProperty("size").GetInt64(), shown.GetProperty("percent").GetInt32(), shown.GetProperty("level").GetString()));

        var again = await ProblemAsync(await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = "tank" }), HttpStatusCode.Conflict);
        Assert.Contains("already has an emergency reserve of 20000000 bytes", again.GetProperty("detail").GetString());

        var released = await client.PostAsJsonAsync("/api/zfs/capacity/release", new { pool = "tank" });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal(20_000_000, JsonDocument.Parse(await released.Content.ReadAsStringAsync()).RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal("0", zfs.Property("tank/dplane-reserved", "refreservation"));
        Assert.True(zfs.Exists("tank/dplane-reserved"));
        await CapacityAsync(client, c => c.GetProperty("pools")[0].GetProperty("reserve").GetProperty("state").GetString() == "released");

        var twice = await ProblemAsync(await client.PostAsJsonAsync("/api/zfs/capacity/release", new { pool = "tank" }), HttpStatusCode.Conflict);
        Assert.Contains("already released", twice.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"pool\": \"-f\"}", "pool", "starts with a letter")]
    [InlineData("{\"pool\": \"tank/child\"}", "pool", "starts with a letter")]
    [InlineData("{\"pool\": \"mirror\"}", "pool", "reserved by ZFS")]
    [InlineData("{\"pool\": \"tank\\n\"}", "pool", "starts with a letter")]
    [InlineData("{\"pool\": \"spares\"}", "pool", "reserved by ZFS")]
    [InlineData("{}", "pool", "a pool name is required")]
    [InlineData("{\"pool\": 7}", "body", "expected a JSON object")]
    [InlineData("{\"pool\": ", "body", "expected a JSON object")]
    [InlineData("", "body", "expected a JSON object")]
    public async Task Bad_input_is_a_validation_problem_that_says_where_and_changes_nothing(string body, string field, string message)
    {
        var (daemon, client, zfs) = await StartAsync();
        await using var _ = daemon;
        foreach (var route in new[] { "/api/zfs/capacity/reserve", "/api/zfs/capacity/release" })
        {
            var problem = await ProblemAsync(await PostAsync(client, route, body), HttpStatusCode.BadRequest);
            Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        }
        Assert.Empty(zfs.Mutations);
    }

    [Fact]
    public async Task An_unknown_pool_is_404_and_changes_nothing()
    {
        var (daemon, client, zfs) = await StartAsync();
        await using var _ = daemon;
        var problem = await ProblemAsync(await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = "nosuchpool" }), HttpStatusCode.NotFound);
        Assert.Contains("no pool named 'nosuchpool'", problem.GetProperty("detail").GetString());
        await ProblemAsync(await client.PostAsJsonAsync("/api/zfs/capacity/release", new { pool = "nosuchpool" }), HttpStatusCode.NotFound);
        Assert.Empty(zfs.Mutations);
    }

    [Fact]
    public async Task The_capacity_routes_need_the_token()
    {
        var (daemon, _, zfs) = await StartAsync();
        await using var __ = daemon;
        var anonymous = daemon.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/zfs/capacity")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = "tank" })).StatusCode);
        Assert.Empty(zfs.Mutations);
    }

    [Fact]
    public async Task A_pool_past_the_emergency_threshold_shows_emergency_and_refuses_a_new_reserve()
    {
        var (daemon, client, zfs) = await StartAsync("tank\t1G\t980M\t44M\t96%\tONLINE\n");
        await using var _ = daemon;
        var pool = (await CapacityAsync(client, c => c.GetProperty("pools")[0].GetProperty("level").GetString() == "emergency")).GetProperty("pools")[0];
        Assert.Equal(96, pool.GetProperty("percent").GetInt32());
        var problem = await ProblemAsync(await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = "tank" }), HttpStatusCode.InsufficientStorage);
        Assert.Contains("emergency threshold", problem.GetProperty("detail").GetString());
        Assert.Empty(zfs.Mutations);
    }
}

public sealed class MonitoringSettingsTests
{
    [Theory]
    [InlineData("DPlaneOS:Capacity:Warning", "95", "thresholds must ascend")]
    [InlineData("DPlaneOS:Capacity:ReservePercent", "0", "ReservePercent 0 must be in (0, 50]")]
    [InlineData("DPlaneOS:Capacity:Hysteresis", "-1", "must not be negative")]
    [InlineData("DPlaneOS:Watch:Inotify:Critical", "70", "thresholds must ascend")]
    [InlineData("DPlaneOS:Watch:Paths:0", "relative/dir", "'relative/dir' is not an absolute path")]
    [InlineData("DPlaneOS:GitOps:AllowedPathPrefixes:0", "srv/shares", "DPlaneOS:GitOps:AllowedPathPrefixes: prefix 'srv/shares' must be an absolute path")]
    [InlineData("DPlaneOS:GitOps:AllowedPathPrefixes:0", "/srv/../etc", "must not contain '.' or '..' components")]
    public async Task Bad_monitoring_settings_stop_the_daemon_with_a_clear_message(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var daemon = await DaemonFixture.StartAsync(new FakeZpool(), zfs: new FakeZfs(), settings: new Dictionary<string, string> { [key] = value });
        });
        var all = string.Join(" | ", Flatten(failure).Select(e => e.Message));
        Assert.Contains(message, all);
    }

    private static IEnumerable<Exception> Flatten(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten)) yield return inner;
        }
    }
}
