using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Gateway.Tests;

/// <summary>
/// <c>GET /api/alerts</c> on the real daemon, fed by the real capacity guardian (fake zpool output):
/// producer → monitor bus → router → the list, with no event published by the test.
/// </summary>
public sealed class ActiveAlertRoutesTests
{
    /// <summary>The node of a test daemon without DPlaneOS:NodeName: its host name.</summary>
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);

    private static async Task<JsonElement> AlertsAsync(HttpClient client, Func<JsonElement[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var items = (await client.GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray().ToArray();
            if (done(items)) return items.Length == 0 ? default : items[0];
            if (DateTime.UtcNow > deadline) Assert.Fail($"alerts never reached the expected state: {string.Join(", ", items)}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Needs_a_token()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().GetAsync("/api/alerts")).StatusCode);
    }

    [Fact]
    public async Task An_event_published_the_moment_the_daemon_has_started_is_not_lost()
    {
        // The router's subscription is queued at the pub/sub mediator before StartAsync returns, so
        // a publish that follows is delivered: the mediator handles its messages in order.
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool(), settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Alerts:Hysteresis"] = "00:00:00",
        });
        MonitorBus.Publish(daemon.App.Services.GetRequiredService<ActorSystem>(),
            MonitorEvent.Create(DaemonNode, "pool.degraded", Severity.Warning, "tank", DateTimeOffset.UtcNow));
        var alert = await AlertsAsync(daemon.Client(daemon.Token), items => items.Length == 1);
        Assert.Equal("pool.degraded|tank", alert.GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_pool_that_is_already_full_at_start_is_alerted_escalated_and_resolved_as_one_condition()
    {
        // Full at the first reading: the guardian publishes ok -> warning once, right at startup.
        var zpool = new FakeZpool { ListText = "tank\t1G\t870M\t154M\t84%\tONLINE\n" };
        var zfs = new FakeZfs().WithPool("tank", used: 870_000_000, available: 154_000_000);
        await using var daemon = await DaemonFixture.StartAsync(zpool, zfs: zfs, settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Alerts:Hysteresis"] = "00:00:00",
        });
        var client = daemon.Client(daemon.Token);

        var warning = await AlertsAsync(client, items => items.Length == 1 && items[0].GetProperty("notified").GetBoolean());
        Assert.Equal("capacity|tank", warning.GetProperty("key").GetString());
        Assert.Equal("capacity", warning.GetProperty("type").GetString());
        Assert.Equal("capacity.warning", warning.GetProperty("lastEventType").GetString());
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal("84", warning.GetProperty("data").GetProperty("percent").GetString());

        zpool.ListText = "tank\t1G\t942M\t82M\t92%\tONLINE\n";
        var critical = await AlertsAsync(client, items => items.Length == 1 && items[0].GetProperty("notifiedSeverity").GetString() == "critical");
        Assert.Equal("capacity.critical", critical.GetProperty("lastEventType").GetString());
        Assert.Equal(warning.GetProperty("firstSeen").GetDateTimeOffset(), critical.GetProperty("firstSeen").GetDateTimeOffset());

        zpool.ListText = "tank\t1G\t400M\t624M\t40%\tONLINE\n";
        await AlertsAsync(client, items => items.Length == 0);
    }

    [Fact]
    public async Task An_acknowledged_alert_leaves_the_list_and_bad_or_unknown_keys_get_a_problem()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool(), settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Alerts:Hysteresis"] = "00:00:00",
        });
        var client = daemon.Client(daemon.Token);
        MonitorBus.Publish(daemon.App.Services.GetRequiredService<ActorSystem>(),
            MonitorEvent.Create(DaemonNode, "gitops.apply.failed", Severity.Warning, "apply-7", DateTimeOffset.UtcNow));
        await AlertsAsync(client, items => items.Any(i => i.GetProperty("key").GetString() == "gitops.apply.failed|apply-7" && i.GetProperty("notified").GetBoolean()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().PostAsJsonAsync("/api/alerts/acknowledge", new { key = "gitops.apply.failed|apply-7" })).StatusCode);
        var bad = await client.PostAsJsonAsync("/api/alerts/acknowledge", new { key = "no-bar" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("type|subject", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("key")[0].GetString());

        var response = await client.PostAsJsonAsync("/api/alerts/acknowledge", new { key = "gitops.apply.failed|apply-7" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var acknowledged = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("admin", acknowledged.GetProperty("by").GetString());
        Assert.Equal("gitops.apply.failed|apply-7", acknowledged.GetProperty("alert").GetProperty("key").GetString());
        await AlertsAsync(client, items => items.All(i => i.GetProperty("key").GetString() != "gitops.apply.failed|apply-7"));

        var again = await client.PostAsJsonAsync("/api/alerts/acknowledge", new { key = "gitops.apply.failed|apply-7" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }
}
