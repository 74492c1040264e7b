using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Alerts;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests.Crash;

/// <summary>
/// SIGKILL of the real dplaned while a webhook delivery is on the wire: a real zfs-fuse pool loses a
/// disk, the real heartbeat and router raise <c>pool.degraded</c>, and the receiver takes the POST
/// but does not answer. The restarted daemon delivers the same notification (same delivery id) again.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class KilledMidDeliveryTests
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_notification_unanswered_when_the_daemon_is_killed_arrives_after_the_restart_with_the_same_delivery_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var pool = await LabPool.CreateAsync();
        await using var first = await DaemonProcess.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DPlaneOS:Status:RefreshInterval"] = "00:00:01",
            // Test daemons probe no pool unless told which; this one watches its own.
            ["DPlaneOS:Heartbeat:Enabled"] = "true",
            ["DPlaneOS:Heartbeat:Pools:0"] = pool.Name,
            ["DPlaneOS:Heartbeat:Interval"] = "00:00:02",
            ["DPlaneOS:Heartbeat:Deadline"] = "00:00:01",
            ["DPlaneOS:Alerts:Hysteresis"] = "00:00:02",
        });
        var webhookId = await CreateWebhookAsync(first, $$"""
            {"name":"crash","url":"{{receiver.Url}}","events":["pool.*"],"minimumSeverity":"warning"}
            """);

        var held = receiver.HoldAsync();
        var undone = false;
        await pool.InjectAsync("degraded", pool.Disks[1]);
        try
        {
            var request = await held.WaitAsync(Within);
            await first.KillAsync();
            Assert.Equal(137, first.ExitCode);
            var deliveryId = request.Header("X-DPlaneOS-Delivery");
            Assert.False(string.IsNullOrEmpty(deliveryId), "the held request has no X-DPlaneOS-Delivery header");
            Assert.Equal("pool.degraded", request.Json.GetProperty("type").GetString());
            Assert.Equal(pool.Name, request.Json.GetProperty("subject").GetString());
            Assert.Empty(receiver.Requests); // nothing was answered: the daemon never saw a 2xx

            receiver.Release();
            await using var second = await first.StartAgainAsync();
            var delivered = (await receiver.WaitForAsync(r => r.Count >= 1, Within, "the delivery again after the restart")).First();
            Assert.Equal(200, delivered.AnsweredStatus);
            Assert.Equal(deliveryId, delivered.Header("X-DPlaneOS-Delivery"));
            Assert.Equal(deliveryId, delivered.Json.GetProperty("id").GetString());
            Assert.Equal(request.Text, delivered.Text);

            // The outbox knows it is done, and nothing else was sent meanwhile (no second notification for the same condition).
            using var client = second.Client();
            var webhook = await AlertDaemon.EventuallyAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/alerts/webhooks/{webhookId}"),
                w => w.GetProperty("delivery").GetProperty("lastSuccess").ValueKind == JsonValueKind.Object, Within, "the delivery recorded as a success");
            Assert.Equal(deliveryId, webhook.GetProperty("delivery").GetProperty("lastSuccess").GetProperty("notificationId").GetString());
            Assert.Equal(0, webhook.GetProperty("delivery").GetProperty("pending").GetInt32());

            // Deliveries to one webhook go out in order: the recovery's resolution arriving proves
            // no second notice for the degraded pool was queued before it.
            await pool.UndoAsync("degraded", pool.Disks[1]);
            undone = true;
            var all = await receiver.WaitForAsync(r => r.Any(x => x.Json.GetProperty("type").GetString() != "pool.degraded"),
                Within, "the resolution after the pool recovered");
            Assert.Equal([deliveryId], all.Where(r => r.Json.GetProperty("type").GetString() == "pool.degraded").Select(r => r.Header("X-DPlaneOS-Delivery")));
        }
        finally
        {
            if (!undone) await pool.UndoAsync("degraded", pool.Disks[1]);
        }
    }

    private static async Task<int> CreateWebhookAsync(DaemonProcess daemon, string json)
    {
        using var client = daemon.Client();
        var response = await client.PostAsync("/api/alerts/webhooks", AlertDaemon.Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"creating the webhook gave {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }
}
