using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests.Capacity;

/// <summary>The capacity guardian and the emergency reserve on real zfs-fuse pools, through the real daemon.</summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class CapacityOnZfsFuseTests
{
    private static Task<DaemonFixture> StartDaemonAsync() =>
        DaemonFixture.StartAsync(settings: new Dictionary<string, string> { ["DPlaneOS:Status:RefreshInterval"] = "00:00:01" });

    /// <summary>The real <c>zfs get -Hp -o value</c> of one property, or null when the dataset does not exist.</summary>
    private static async Task<string?> ZfsGetAsync(string dataset, string property)
    {
        var datasets = await Lab.HostAsync("zfs", "list", "-H", "-o", "name");
        if (!datasets.Split('\n').Contains(dataset)) return null;
        return (await Lab.HostAsync("zfs", "get", "-Hp", "-o", "value", property, dataset)).Trim();
    }

    private static async Task<long> UsableBytesAsync(string pool)
    {
        var values = (await Lab.HostAsync("zfs", "get", "-Hp", "-o", "value", "used,available", pool)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(values[0]) + long.Parse(values[1]);
    }

    private static async Task<JsonElement> PoolCapacityAsync(HttpClient client, string pool, Func<JsonElement, bool> done, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var report = JsonDocument.Parse(await client.GetStringAsync("/api/zfs/capacity")).RootElement;
            var found = report.GetProperty("pools").EnumerateArray().FirstOrDefault(p => p.GetProperty("name").GetString() == pool);
            if (found.ValueKind == JsonValueKind.Object && done(found)) return found;
            if (stopwatch.Elapsed > within) Assert.Fail($"capacity of {pool} did not reach the expected state within {within}: {report}");
            await Task.Delay(200);
        }
    }

    private static string ReserveState(JsonElement pool) => pool.GetProperty("reserve").GetProperty("state").GetString()!;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Reserve_creates_the_dataset_with_2_percent_and_release_sets_none_and_keeps_it()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await StartDaemonAsync();
        var client = daemon.Client(daemon.Token);
        var dataset = $"{pool.Name}/dplane-reserved";
        var before = await PoolCapacityAsync(client, pool.Name, p => ReserveState(p) != "unknown", TimeSpan.FromSeconds(20));
        Assert.Equal(("none", "ok"), (ReserveState(before), before.GetProperty("level").GetString()));

        var usable = await UsableBytesAsync(pool.Name);
        var response = await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = pool.Name });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var expected = usable * 2 / 100;
        Assert.Equal((dataset, expected, usable), (body.GetProperty("dataset").GetString(), body.GetProperty("bytes").GetInt64(), body.GetProperty("usableBytes").GetInt64()));
        Assert.Equal(expected.ToString(), await ZfsGetAsync(dataset, "refreservation"));
        Assert.Equal("off", await ZfsGetAsync(dataset, "canmount"));
        Assert.Equal("no", await ZfsGetAsync(dataset, "mounted"));
        var reserved = await PoolCapacityAsync(client, pool.Name, p => ReserveState(p) == "reserved", TimeSpan.FromSeconds(10));
        Assert.Equal(expected, reserved.GetProperty("reserve").GetProperty("bytes").GetInt64());

        await ProblemAsync(await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = pool.Name }), HttpStatusCode.Conflict);
        Assert.Equal(expected.ToString(), await ZfsGetAsync(dataset, "refreservation"));

        var released = await client.PostAsJsonAsync("/api/zfs/capacity/release", new { pool = pool.Name });
        Assert.True(released.StatusCode == HttpStatusCode.OK, await released.Content.ReadAsStringAsync());
        Assert.Equal(expected, JsonDocument.Parse(await released.Content.ReadAsStringAsync()).RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal("0", await ZfsGetAsync(dataset, "refreservation"));
        Assert.Equal("off", await ZfsGetAsync(dataset, "canmount"));
        await PoolCapacityAsync(client, pool.Name, p => ReserveState(p) == "released", TimeSpan.FromSeconds(10));
        await ProblemAsync(await client.PostAsJsonAsync("/api/zfs/capacity/release", new { pool = pool.Name }), HttpStatusCode.Conflict);

        // Re-arming a released reserve sets it again on the same dataset.
        var rearmed = await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = pool.Name });
        Assert.True(rearmed.StatusCode == HttpStatusCode.OK, await rearmed.Content.ReadAsStringAsync());
        Assert.Equal((usable * 2 / 100).ToString(), await ZfsGetAsync(dataset, "refreservation"));
    }

    [Fact]
    public async Task A_bad_or_missing_pool_is_a_problem_and_changes_nothing()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await StartDaemonAsync();
        var client = daemon.Client(daemon.Token);
        await PoolCapacityAsync(client, pool.Name, _ => true, TimeSpan.FromSeconds(20));
        var datasetsBefore = await Lab.HostAsync("zfs", "list", "-H", "-o", "name");

        foreach (var route in new[] { "/api/zfs/capacity/reserve", "/api/zfs/capacity/release" })
        {
            var invalid = await ProblemAsync(await client.PostAsJsonAsync(route, new { pool = $"{pool.Name}/x" }), HttpStatusCode.BadRequest);
            Assert.Contains("starts with a letter", invalid.GetProperty("errors").GetProperty("pool")[0].GetString());
            await ProblemAsync(await client.PostAsJsonAsync(route, new { pool = "-o" }), HttpStatusCode.BadRequest);
            await ProblemAsync(await client.PostAsync(route, new StringContent("pool=" + pool.Name, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
            var missing = await ProblemAsync(await client.PostAsJsonAsync(route, new { pool = "dplnosuchpool" }), HttpStatusCode.NotFound);
            Assert.Contains("no pool named 'dplnosuchpool'", missing.GetProperty("detail").GetString());
        }
        Assert.Equal(datasetsBefore, await Lab.HostAsync("zfs", "list", "-H", "-o", "name"));
    }

    /// <summary>
    /// zfs-fuse keeps max(size/64, 32 MiB) of a pool for itself, so a 128M pool stops at ~72 %; a 2G
    /// single-disk pool fills to ~96 % with the reserve held, past the 95 % emergency threshold.
    /// </summary>
    [Fact]
    public async Task Filling_a_pool_past_95_percent_releases_its_reserve_automatically_and_says_so()
    {
        await using var pool = await LabPool.CreateAsync(layout: "stripe", disks: 1, size: "2G");
        await using var daemon = await StartDaemonAsync();
        await using var events = await MonitorEventCollector.StartAsync(daemon.App.Services.GetRequiredService<ActorSystem>());
        var client = daemon.Client(daemon.Token);
        await PoolCapacityAsync(client, pool.Name, p => ReserveState(p) == "none", TimeSpan.FromSeconds(20));
        var reserve = await client.PostAsJsonAsync("/api/zfs/capacity/reserve", new { pool = pool.Name });
        Assert.True(reserve.StatusCode == HttpStatusCode.OK, await reserve.Content.ReadAsStringAsync());
        var reservedBytes = JsonDocument.Parse(await reserve.Content.ReadAsStringAsync()).RootElement.GetProperty("bytes").GetInt64();

        var written = await FillAsync(Path.Combine(pool.Mountpoint, "fill.bin"), limit: 4L << 30);
        var capacity = (await Lab.HostAsync("zpool", "list", "-H", "-o", "capacity", pool.Name)).Trim();

        var released = await events.WaitForAsync(e => e.Type == "capacity.reserve-released" && e.Subject == pool.Name, TimeSpan.FromSeconds(30),
            $"capacity.reserve-released for {pool.Name} (wrote {written} bytes, zpool capacity {capacity})");
        Assert.Equal((pool.Name, reservedBytes.ToString(), "true"), (released.Data["pool"], released.Data["bytesFreed"], released.Data["automatic"]));
        Assert.True(int.Parse(released.Data["percent"]) >= 95, released.Data["percent"]);
        Assert.Contains(events.Seen, e => e.Type == "capacity.emergency" && e.Subject == pool.Name);
        Assert.Equal("0", await ZfsGetAsync($"{pool.Name}/dplane-reserved", "refreservation"));

        var shown = await PoolCapacityAsync(client, pool.Name, p => ReserveState(p) == "released", TimeSpan.FromSeconds(10));
        Assert.Equal("emergency", shown.GetProperty("level").GetString());
        Assert.True(shown.GetProperty("percent").GetInt32() >= 95, shown.ToString());

        // Released once: three more readings at emergency release nothing more.
        var later = await events.CollectAsync(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(later, e => e.Type.StartsWith("capacity.reserve", StringComparison.Ordinal));
        Assert.Single(events.Seen, e => e.Type == "capacity.reserve-released");
    }

    /// <summary>Writes until the pool is full (ENOSPC); returns the bytes written.</summary>
    private static async Task<long> FillAsync(string path, long limit)
    {
        var chunk = new byte[4 << 20];
        Random.Shared.NextBytes(chunk);
        long written = 0;
        try
        {
            await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
            while (written < limit)
            {
                await stream.WriteAsync(chunk);
                written += chunk.Length;
            }
            await stream.FlushAsync();
            stream.Flush(flushToDisk: true);
        }
        catch (IOException ex) when (ex.HResult == 28 || ex.Message.Contains("space", StringComparison.OrdinalIgnoreCase))
        {
            // Full: what we wanted.
        }
        return written;
    }
}
