using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Alerts;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests.Monitoring;

/// <summary>
/// A pool that failed, a daemon that went down, a pool that was healed meanwhile: the next daemon, on
/// the same SQLite data dir, recovers the notified <c>pool.failed</c> from its journal and ends it with
/// the fresh heartbeat's first probe. Real zfs-fuse pool, real journal, real webhook receiver on loopback.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class RestartResolutionOnZfsFuseTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> Settings(LabPool pool) => new()
    {
        ["DPlaneOS:Status:RefreshInterval"] = "00:00:01",
        ["DPlaneOS:Heartbeat:Enabled"] = "true",
        ["DPlaneOS:Heartbeat:Pools:0"] = pool.Name,
        ["DPlaneOS:Heartbeat:Interval"] = "00:00:01",
        ["DPlaneOS:Heartbeat:Deadline"] = "00:00:02",
        ["DPlaneOS:Alerts:Hysteresis"] = "00:00:02",
        ["DPlaneOS:Alerts:Cooldown"] = "01:00:00",
    };

    private static async Task<JsonElement> AlertsAsync(DaemonFixture daemon) =>
        await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts");

    private static bool Holds(JsonElement alerts, string key, bool notified) =>
        alerts.GetProperty("items").EnumerateArray().Any(a => a.GetProperty("key").GetString() == key && a.GetProperty("notified").GetBoolean() == notified);

    private static bool Holds(JsonElement alerts, string key) =>
        alerts.GetProperty("items").EnumerateArray().Any(a => a.GetProperty("key").GetString() == key);

    private static IEnumerable<JsonElement> Notifications(WebhookReceiver receiver, string key, string kind) =>
        receiver.Accepted.Select(r => r.Json).Where(j => j.GetProperty("key").GetString() == key && j.GetProperty("kind").GetString() == kind);

    [Fact]
    public async Task A_pool_failed_before_a_restart_and_healed_while_down_is_resolved_once_by_the_next_daemon()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var pool = await LabPool.CreateAsync();
        var dataDir = Directory.CreateTempSubdirectory("dplaned-restate-").FullName;
        var key = $"pool.failed|{pool.Name}";
        var readOnly = false;
        try
        {
            await using (var first = await AlertDaemon.StartAsync(dataDir, Settings(pool)))
            {
                await first.CreateWebhookAsync($$"""
                    {"name":"restate","url":"{{receiver.Url}}","events":["pool.*"],"minimumSeverity":"warning"}
                    """);
                await first.WaitForAlertSinksAsync();
                await AlertDaemon.EventuallyAsync(() => AlertsAsync(first), _ => true, Within, "the alert route answering");

                // Writes fail (EROFS): the heartbeat's probe fails, pool.failed is raised after the hysteresis.
                await pool.InjectAsync("readonly");
                readOnly = true;
                await AlertDaemon.EventuallyAsync(() => AlertsAsync(first), a => Holds(a, key, notified: true), Within, $"{key} notified");
                await receiver.WaitForAsync(r => Notifications(receiver, key, "raised").Any(), Within, $"the raised {key} at the receiver");
            }

            // Healed while no daemon runs: nobody saw it recover.
            await pool.UndoAsync("readonly");
            readOnly = false;

            await using (var second = await AlertDaemon.StartAsync(dataDir, Settings(pool)))
            {
                await receiver.WaitForAsync(r => Notifications(receiver, key, "resolved").Any(), Within, $"the resolved {key} at the receiver");
                var resolved = Assert.Single(Notifications(receiver, key, "resolved"));
                Assert.Equal(("pool.healthy", "resolved", pool.Name), (resolved.GetProperty("type").GetString(), resolved.GetProperty("severity").GetString(),
                    resolved.GetProperty("subject").GetString()));
                Assert.False(Holds(await AlertsAsync(second), key), $"{key} is still listed after its resolution");

                // Several more probes: still exactly one resolution, and nothing else about the pool.
                await Task.Delay(TimeSpan.FromSeconds(5));
                Assert.Single(Notifications(receiver, key, "resolved"));
                Assert.Single(Notifications(receiver, key, "raised"));
                Assert.False(Holds(await AlertsAsync(second), key));
            }
        }
        finally
        {
            if (readOnly) await pool.UndoAsync("readonly");
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
