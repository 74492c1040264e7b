using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Integration.Tests.Audit;

/// <summary>
/// The chain is checked without being asked: on the real daemon and its real SQLite journal, a record
/// row altered in the database while the daemon runs is found by the periodic check, raised once as
/// <c>audit.chain.broken</c> on the monitor bus (and so by the alert router), and not again at the
/// checks that follow.
/// </summary>
public sealed class AuditPeriodicCheckTests
{
    [Fact]
    public async Task A_record_altered_while_the_daemon_runs_raises_audit_chain_broken_once()
    {
        await using var daemon = await AuditDaemon.StartAsync(settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Audit:VerifyInterval"] = "00:00:00.300",
            // Notified at once, so the alert router is seen to act on the event.
            ["DPlaneOS:Alerts:Hysteresis"] = "00:00:00",
        });
        await using var bus = await MonitorEventCollector.StartAsync(daemon.System());
        await daemon.PostThingsAsync(6);
        var within = TimeSpan.FromSeconds(30);
        await bus.WaitForAsync(e => IsChecked(e) && e.Data["valid"] == "true" && e.Data["records"] == "6", within, "a check that saw 6 valid records");

        // Straight into the database, as someone with write access to it (but not the key) would.
        await new SqliteAuditJournal(daemon.DataDir).EditDetailAsync(4, "route.name", "someone-else");

        var broken = await bus.WaitForAsync(e => e.Type == AuditChainTracker.Broken, within, "audit.chain.broken");
        Assert.Equal(Severity.Critical, broken.Severity);
        Assert.Equal((AuditSetup.PersistenceId(daemon.Node()), daemon.Node().Name), (broken.Subject, broken.Node));
        Assert.Equal("4", broken.Data["firstBrokenSequence"]);
        Assert.StartsWith("HMAC mismatch at sequence 4", broken.Data["reason"]);
        // The check and the route read the same database the same way.
        var verdict = await daemon.VerifyAsync();
        Assert.Equal((false, 4L), (verdict.GetProperty("valid").GetBoolean(), verdict.GetProperty("firstBrokenSequence").GetInt64()));

        // The writer goes on meanwhile; two more checks finish on the grown, still broken chain, and say nothing new.
        await daemon.PostThingsAsync(2);
        var start = bus.Seen.Count;
        await bus.WaitForAsync(e => IsChecked(e) && e.Data["records"] == "8", within, "a check of the grown chain");
        await bus.WaitForAsync(IsChecked, within, "one more check");
        Assert.Single(bus.Seen, e => e.Type == AuditChainTracker.Broken);
        Assert.All(bus.Seen.Skip(start).Where(IsChecked), e => Assert.Equal(("false", "4"), (e.Data["valid"], e.Data["firstBrokenSequence"])));

        var alerts = (await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray();
        var alert = Assert.Single(alerts, a => a.GetProperty("key").GetString() == $"{AuditChainTracker.Broken}|{AuditSetup.PersistenceId(daemon.Node())}");
        Assert.Equal(("critical", true), (alert.GetProperty("severity").GetString(), alert.GetProperty("notified").GetBoolean()));
    }

    private static bool IsChecked(MonitorEvent e) => e.Type == AuditChainTracker.Checked;
}
