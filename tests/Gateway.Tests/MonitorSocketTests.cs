using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Akka.Actor;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Gateway.WebSockets;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

/// <summary>The real daemon on loopback, real ClientWebSockets, events published on the daemon's real bus.</summary>
public sealed class MonitorSocketTests
{
    /// <summary>The node of a test daemon without DPlaneOS:NodeName: its host name.</summary>
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);

    private static void Publish(DaemonFixture daemon, MonitorEvent monitorEvent) =>
        MonitorBus.Publish(daemon.App.Services.GetRequiredService<ActorSystem>(), monitorEvent);

    private static MonitorEvent Event(string type, Severity severity = Severity.Warning, string subject = "tank", string? padding = null)
    {
        var data = new Dictionary<string, string> { ["pool"] = subject };
        if (padding is not null) data["padding"] = padding;
        return MonitorEvent.Create(DaemonNode, type, severity, subject, DateTimeOffset.UtcNow, data);
    }

    [Fact]
    public async Task A_handshake_without_a_valid_token_is_refused_with_401()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        Assert.Equal(HttpStatusCode.Unauthorized, await MonitorSocketClient.RefusedStatusAsync(daemon, token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await MonitorSocketClient.RefusedStatusAsync(daemon, daemon.Token + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, await MonitorSocketClient.RefusedStatusAsync(daemon, null, "access_token=wrong"));
    }

    [Fact]
    public async Task The_first_frame_is_ready_and_then_every_published_event_arrives_as_an_envelope()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        await using var client = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token)).ReadyAsync();

        var info = Event("inotify.status", Severity.Info, "watches");
        var degraded = Event("pool.degraded", Severity.Critical);
        Publish(daemon, info);
        Publish(daemon, degraded);

        // In publish order; the daemon's own producers may publish in between.
        var first = (await client.ReceiveEventAsync(info.Id, degraded.Id))!.Value;
        Assert.Equal("inotify.status", first.GetProperty("type").GetString());
        Assert.Equal("info", first.GetProperty("severity").GetString());
        Assert.Equal(info.Id, first.GetProperty("id").GetString());

        var second = (await client.ReceiveEventAsync(info.Id, degraded.Id))!.Value;
        Assert.Equal(["type", "severity", "subject", "node", "time", "data", "id"], second.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pool.degraded", second.GetProperty("type").GetString());
        Assert.Equal("critical", second.GetProperty("severity").GetString());
        Assert.Equal("tank", second.GetProperty("subject").GetString());
        Assert.Equal(Environment.MachineName, second.GetProperty("node").GetString());
        Assert.Equal(degraded.Time, second.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("tank", second.GetProperty("data").GetProperty("pool").GetString());
        Assert.Equal(degraded.Id, second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_token_may_come_as_access_token_in_the_query()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        await using var client = await (await MonitorSocketClient.ConnectAsync(daemon, token: null, $"access_token={daemon.Token}")).ReadyAsync();
        var monitorEvent = Event("pool.degraded");
        Publish(daemon, monitorEvent);
        Assert.Equal(monitorEvent.Id, (await client.ReceiveEventAsync(monitorEvent.Id))!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_types_filter_passes_only_matching_event_types()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        await using var client = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token, "types=pool.*,capacity.crit*")).ReadyAsync();

        var drift = Event("gitops.drift");
        var warning = Event("capacity.warning");
        var pool = Event("pool.degraded");
        var smart = Event("disk.smart");
        var capacity = Event("capacity.critical");
        foreach (var e in new[] { drift, warning, pool, smart, capacity }) Publish(daemon, e);

        // Of the five, only the two that match arrive, in order (the daemon's own events are skipped).
        string[] all = [drift.Id, warning.Id, pool.Id, smart.Id, capacity.Id];
        Assert.Equal(pool.Id, (await client.ReceiveEventAsync(all))!.Value.GetProperty("id").GetString());
        Assert.Equal(capacity.Id, (await client.ReceiveEventAsync(all))!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_nodes_filter_passes_only_events_of_those_nodes_and_a_bad_name_is_a_400()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        await using var client = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token, "nodes=nas-02,nas-03")).ReadyAsync();

        var local = Event("pool.degraded");
        var other = MonitorEvent.Create(NodeIdentity.Named("nas-02"), "pool.degraded", Severity.Warning, "tank", DateTimeOffset.UtcNow);
        var third = MonitorEvent.Create(NodeIdentity.Named("nas-04"), "pool.degraded", Severity.Warning, "tank", DateTimeOffset.UtcNow);
        foreach (var e in new[] { local, third, other }) Publish(daemon, e);

        // Of the three, only nas-02's arrives first: the earlier two were dropped, not delayed.
        Assert.Equal(other.Id, (await client.ReceiveEventAsync(local.Id, third.Id, other.Id))!.Value.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, await MonitorSocketClient.RefusedStatusAsync(daemon, daemon.Token, "nodes=nas-02,bad%20name"));
    }

    [Fact]
    public async Task A_bad_types_filter_or_a_plain_http_request_gets_a_problem_and_a_foreign_origin_403()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        Assert.Equal(HttpStatusCode.BadRequest, await MonitorSocketClient.RefusedStatusAsync(daemon, daemon.Token, "types=pool.*,rm%20-rf"));

        var plain = await daemon.Client(daemon.Token).GetAsync("/api/ws/monitor?types=pool.%3F");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Contains("WebSocket", await plain.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, await MonitorSocketClient.RefusedStatusAsync(daemon, daemon.Token, origin: "https://evil.example"));
        await using var sameHost = await MonitorSocketClient.ConnectAsync(daemon, daemon.Token, origin: $"http://{daemon.BaseAddress.Authority}");
        await sameHost.ReadyAsync();
    }

    [Fact]
    public async Task A_bad_types_filter_names_the_parameter()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/ws/monitor?types=pool.%3F");
        // A real handshake's headers, so the request reaches the filter check and is answered before the upgrade.
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        var response = await daemon.Client(daemon.Token).SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("'?'", problem.GetProperty("errors").GetProperty("types")[0].GetString());
    }

    [Fact]
    public async Task Alert_notifications_arrive_as_alert_frames_and_are_listed_under_api_alerts()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool(), settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Alerts:Hysteresis"] = "00:00:00",
        });
        await using var client = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token, "types=pool.*")).ReadyAsync();
        var failed = Event("pool.failed", Severity.Critical);
        Publish(daemon, failed);

        // The Docker guard reacts to pool.failed too (here: Docker unreachable), so other alerts may interleave.
        var frames = new List<JsonElement>();
        while (!(frames.Any(IsPoolFailedAlert) && frames.Any(f => f.GetProperty("type").GetString() == "pool.failed")))
            frames.Add((await client.ReceiveAsync())!.Value);
        var alert = Assert.Single(frames, IsPoolFailedAlert);
        Assert.Equal("raised", alert.GetProperty("kind").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("pool.failed|tank", alert.GetProperty("key").GetString());
        Assert.Equal(failed.Id, alert.GetProperty("event").GetProperty("id").GetString());
        Assert.Single(frames, f => f.GetProperty("type").GetString() == "pool.failed");

        var active = await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts");
        var item = Assert.Single(active.GetProperty("items").EnumerateArray(), i => i.GetProperty("key").GetString() == "pool.failed|tank");
        Assert.Equal("pool.failed|tank", item.GetProperty("key").GetString());
        Assert.Equal("pool.failed", item.GetProperty("type").GetString());
        Assert.Equal("tank", item.GetProperty("subject").GetString());
        Assert.Equal("critical", item.GetProperty("severity").GetString());
        Assert.True(item.GetProperty("notified").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, item.GetProperty("lastNotified").ValueKind);
        Assert.Equal("tank", item.GetProperty("data").GetProperty("pool").GetString());

        Publish(daemon, Event("pool.failed", Severity.Resolved));
        var resolved = (await client.ReceiveUntilAsync(f => IsPoolFailedAlert(f) && f.GetProperty("kind").GetString() == "resolved"))!.Value;
        Assert.Equal("resolved", resolved.GetProperty("kind").GetString());
        Assert.DoesNotContain((await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("key").GetString() == "pool.failed|tank");
    }

    private static bool IsPoolFailedAlert(JsonElement frame) =>
        frame.GetProperty("type").GetString() == "alert" && frame.GetProperty("key").GetString() == "pool.failed|tank";

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_as_a_policy_violation_while_the_others_keep_receiving()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool(), settings: new Dictionary<string, string>
        {
            // Long enough that the stalled client, once it reads again, still gets the close frame.
            ["DPlaneOS:WebSocket:CloseTimeout"] = "00:01:00",
        });
        var sessions = daemon.App.Services.GetRequiredService<MonitorSocketSessions>();
        await using var reader = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token)).ReadyAsync();
        await using var stalled = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token)).ReadyAsync();

        var published = new List<string>();
        var ours = new HashSet<string>();
        var received = new List<string>();
        var padding = new string('x', 4096);
        // Publish in batches the reading client keeps up with, until the stalled client's socket buffers and
        // its queue (256 frames) are full (bounded: 10,000 events of 4 KB at most).
        for (var batch = 0; sessions.ClosedSlow == 0; batch++)
        {
            Assert.True(batch < 200, "the stalled client was never closed");
            for (var i = 0; i < 50; i++)
            {
                var monitorEvent = Event("pool.io", Severity.Info, padding: padding);
                published.Add(monitorEvent.Id);
                ours.Add(monitorEvent.Id);
                Publish(daemon, monitorEvent);
            }
            // The daemon's own producers may publish in between; only the test's events are counted.
            while (received.Count < published.Count)
                received.Add((await reader.ReceiveEventAsync(ours))!.Value.GetProperty("id").GetString()!);
        }
        Assert.Equal(published, received);

        // The reading client keeps receiving after the other one was dropped.
        var after = Event("pool.degraded");
        Publish(daemon, after);
        Assert.Equal(after.Id, (await reader.ReceiveEventAsync(after.Id))!.Value.GetProperty("id").GetString());

        // The stalled client finds what was buffered for it, then the close frame: 1008 policy violation.
        var stalledFrames = 0;
        while (await stalled.ReceiveAsync() is not null) stalledFrames++;
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stalled.CloseStatus);
        Assert.InRange(stalledFrames, 1, published.Count - 1);
        await WaitUntil(() => sessions.Open == 1);
        Assert.Equal(1, sessions.ClosedSlow);
    }

    [Fact]
    public async Task The_api_document_lists_the_alert_and_websocket_routes()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var openApi = await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/alerts").TryGetProperty("get", out _));
        Assert.Contains("ready", paths.GetProperty("/api/ws/monitor").GetRawText());
    }

    [Fact]
    public async Task Stopping_the_daemon_closes_clients_with_going_away()
    {
        var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        await using var client = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token)).ReadyAsync();
        var stopping = daemon.DisposeAsync().AsTask();
        // The daemon's own first statements (the audit chain check at start) may still come before the close.
        Assert.Null(await client.ReceiveUntilAsync(_ => false));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
