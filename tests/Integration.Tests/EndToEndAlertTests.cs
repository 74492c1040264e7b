using DPlaneOS.TestSupport.Alerts;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests;

/// <summary>
/// The whole chain on real parts, publishing nothing by hand: a real zfs-fuse pool loses a disk →
/// the pool monitoring publishes a <c>pool.degraded</c> MonitorEvent → the alert router debounces
/// it into an AlertNotification → the webhook sink POSTs it to a real receiver. Needs the pool
/// heartbeat and the alert router (built in parallel); until they are merged this test fails here.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class EndToEndAlertTests
{
    /// <summary>Heartbeat 2 s, router hysteresis 5 s, plus zfs-fuse slowness.</summary>
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task EndToEnd_a_disk_taken_offline_on_a_real_pool_reaches_the_webhook_as_pool_degraded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await AlertDaemon.StartAsync(more: new Dictionary<string, string>
        {
            ["DPlaneOS:Status:RefreshInterval"] = "00:00:01",
            // Test daemons probe no pool unless told which (DaemonFixture); this one watches its own.
            ["DPlaneOS:Heartbeat:Enabled"] = "true",
            ["DPlaneOS:Heartbeat:Pools:0"] = pool.Name,
            ["DPlaneOS:Heartbeat:Interval"] = "00:00:02",
            ["DPlaneOS:Heartbeat:Deadline"] = "00:00:01",
            ["DPlaneOS:Alerts:Hysteresis"] = "00:00:05",
        });
        await daemon.CreateWebhookAsync($$"""
            {"name":"e2e","url":"{{receiver.Url}}","events":["pool.*"],"minimumSeverity":"warning","secret":"end-to-end-secret-123"}
            """);
        await daemon.WaitForAlertSinksAsync();

        await pool.InjectAsync("degraded", pool.Disks[1]);
        try
        {
            var requests = await receiver.WaitForAsync(
                r => r.Any(x => x.Json.GetProperty("type").GetString() == "pool.degraded" && x.Json.GetProperty("subject").GetString() == pool.Name),
                Within, $"a pool.degraded notification for {pool.Name}");
            var degraded = requests.First(x => x.Json.GetProperty("type").GetString() == "pool.degraded");
            var json = degraded.Json;
            Assert.Contains(json.GetProperty("kind").GetString(), new[] { "raised", "escalated" });
            Assert.Contains(json.GetProperty("severity").GetString(), new[] { "warning", "critical" });
            Assert.False(string.IsNullOrEmpty(json.GetProperty("node").GetString()));
            Assert.Equal(json.GetProperty("id").GetString(), degraded.Header("X-DPlaneOS-Delivery"));
            Assert.StartsWith("sha256=", degraded.Header("X-DPlaneOS-Signature"));
        }
        finally
        {
            await pool.UndoAsync("degraded", pool.Disks[1]);
        }
    }
}
