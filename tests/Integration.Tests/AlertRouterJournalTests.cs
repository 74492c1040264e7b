using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport;
using Microsoft.Data.Sqlite;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Integration.Tests;

/// <summary>The alert router's decisions in the daemon's real SQLite journal, across a daemon restart.</summary>
public sealed class AlertRouterJournalTests
{
    /// <summary>The node of a test daemon without DPlaneOS:NodeName: its host name.</summary>
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);

    private static readonly Dictionary<string, string> Timing = new()
    {
        ["DPlaneOS:Alerts:Hysteresis"] = "00:00:02",
        ["DPlaneOS:Alerts:Cooldown"] = "01:00:00",
    };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static MonitorEvent Publish(DaemonFixture daemon, string type, Severity severity)
    {
        var monitorEvent = MonitorEvent.Create(DaemonNode, type, severity, "tank", DateTimeOffset.UtcNow, new Dictionary<string, string> { ["pool"] = "tank" });
        MonitorBus.Publish(daemon.App.Services.GetRequiredService<ActorSystem>(), monitorEvent);
        return monitorEvent;
    }

    private static async Task<Dictionary<string, JsonElement>> ActiveAsync(DaemonFixture daemon) =>
        (await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray()
            .ToDictionary(a => a.GetProperty("key").GetString()!);

    private static async Task<Dictionary<string, JsonElement>> WaitForAsync(DaemonFixture daemon, Func<Dictionary<string, JsonElement>, bool> done)
    {
        // Generous: the machine running the tests may be busy; a pass is usually a matter of seconds.
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var active = await ActiveAsync(daemon);
            if (done(active)) return active;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the alert router did not reach the expected state in {Patience.TotalSeconds} s");
    }

    /// <summary>
    /// Publishes until the router has the condition: right after start its subscription may not be live yet,
    /// and pub/sub drops what nobody subscribes to. A repeat while pending changes nothing.
    /// </summary>
    private static async Task<JsonElement> RaiseAsync(DaemonFixture daemon, string type)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var published = Publish(daemon, type, Severity.Warning);
            await Task.Delay(50);
            if ((await ActiveAsync(daemon)).TryGetValue($"{type}|tank", out var condition) && condition.GetProperty("lastEventId").GetString() == published.Id)
                return condition;
        }
        throw new TimeoutException($"the alert router never saw {type}");
    }

    [Fact]
    public async Task A_restart_sends_no_notice_twice_and_a_window_left_running_ends_once()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-alerts-").FullName;
        await using (var first = await DaemonFixture.StartAsync(dataDir: dataDir, settings: Timing))
        {
            await RaiseAsync(first, "pool.degraded");
            await WaitForAsync(first, a => a.TryGetValue("pool.degraded|tank", out var c) && c.GetProperty("notified").GetBoolean());
            await RaiseAsync(first, "pool.scrub-errors");
            // Stopped with the scrub-errors window still running; it ends while the daemon is down.
        }
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        await using (var second = await DaemonFixture.StartAsync(dataDir: dataDir, settings: Timing))
        {
            var active = await WaitForAsync(second, a => a.TryGetValue("pool.scrub-errors|tank", out var c) && c.GetProperty("notified").GetBoolean());
            var before = active["pool.degraded|tank"];
            Assert.True(before.GetProperty("notified").GetBoolean());
            // Reported again inside the hour of cooldown: the router has it, and holds the repeat back.
            var after = await RaiseAsync(second, "pool.degraded");
            Assert.Equal(before.GetProperty("lastNotified").GetDateTimeOffset(), after.GetProperty("lastNotified").GetDateTimeOffset());
            await Task.Delay(500);
        }

        var notices = await NoticesAsync(dataDir);
        Assert.Equal(["pool.degraded|tank raised", "pool.scrub-errors|tank raised"], notices.Order());
    }

    /// <summary>Every notification the router journalled (it publishes exactly those): "key kind".</summary>
    private static async Task<List<string>> NoticesAsync(string dataDir)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "dplaneos.db")}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT message FROM journal WHERE manifest = 'alerts.notified.v1' ORDER BY ordering";
        var notices = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var json = JsonDocument.Parse(Encoding.UTF8.GetString((byte[])reader["message"])).RootElement.GetProperty("notification");
            notices.Add($"{json.GetProperty("key").GetString()} {json.GetProperty("kind").GetString()}");
        }
        return notices;
    }
}
