using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Integration.Tests.Audit;

/// <summary>
/// The tail anchor on the real daemon and its real SQLite journal: records deleted at the tail, or the
/// anchor edited, while the daemon is stopped show at the next start, in the chain and as an alert.
/// </summary>
public sealed class AuditAnchorTests
{
    // Conditions are notified at once, so the test sees the alert router act on the event, not just hold it.
    private static readonly Dictionary<string, string> Settings = new() { ["DPlaneOS:Alerts:Hysteresis"] = "00:00:00" };

    private static AuditAnchorReading ReadAnchor(string dataDir) =>
        AuditAnchorFile.InDataDir(dataDir, AuditKey.Load(Path.Combine(dataDir, AuditKey.FileName))).Read();

    /// <summary>
    /// N audited calls, then a clean stop: shutdown settles the anchor, so it names N without any
    /// waiting here (the writer writes it just after each batch; a stop must not leave it one behind).
    /// </summary>
    private static async Task<string> StoppedDaemonWithRecordsAsync(int count)
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-audit-anchor-").FullName;
        await using (var daemon = await AuditDaemon.StartAsync(dataDir, Settings))
            await daemon.PostThingsAsync(count);
        var reading = ReadAnchor(dataDir);
        Assert.True(reading is AuditAnchorReading.Valid { Head.Sequence: var anchored } && anchored == count, $"after a clean stop audit.head should name {count}: {reading}");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, AuditAnchorFile.FileName)));
        return dataDir;
    }

    private static async Task<JsonElement> AlertAsync(DaemonFixture daemon, string type)
    {
        var key = $"{type}|{AuditSetup.PersistenceId(daemon.Node())}";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var items = (await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray().ToList();
            var alert = items.FirstOrDefault(a => a.GetProperty("key").GetString() == key);
            if (alert.ValueKind != JsonValueKind.Undefined && alert.GetProperty("notified").GetBoolean()) return alert;
            if (DateTime.UtcNow > deadline) Assert.Fail($"no notified alert {key}: {string.Join(", ", items)}");
            await Task.Delay(50);
        }
    }

    private static async Task AssertNoAuditAlertAsync(DaemonFixture daemon)
    {
        var items = (await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray();
        Assert.DoesNotContain(items, a => a.GetProperty("type").GetString()!.StartsWith("audit.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Records_deleted_at_the_tail_while_the_daemon_was_stopped_are_caught_after_the_restart()
    {
        const int n = 10;
        var dataDir = await StoppedDaemonWithRecordsAsync(n);
        var journal = new SqliteAuditJournal(dataDir);
        var lastKept = (await journal.RecordsAsync())[n - 4];
        for (var sequence = n; sequence > n - 3; sequence--) await journal.DeleteAsync(sequence);

        await using var daemon = await AuditDaemon.StartAsync(dataDir, Settings);
        var verdict = await daemon.VerifyAsync();
        Assert.False(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal(n - 2, verdict.GetProperty("firstBrokenSequence").GetInt64());
        var reason = verdict.GetProperty("reason").GetString()!;
        Assert.StartsWith($"Records {n - 2} to {n} were deleted while the daemon was stopped (or the database was restored from an older backup): the tail anchor said {n}, the journal ended at {n - 3}; detected at start ", reason);
        Assert.EndsWith($", recorded as sequence {n - 2}.", reason);

        var alert = await AlertAsync(daemon, AuditTailCheck.ChainTruncated);
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal($"{n}", alert.GetProperty("data").GetProperty(AuditTailCheck.AnchorSequence).GetString());
        Assert.Equal($"{n - 3}", alert.GetProperty("data").GetProperty(AuditTailCheck.JournalSequence).GetString());
        Assert.Equal(JsonDocument.Parse(lastKept.Json).RootElement.GetProperty("hash").GetString(),
            alert.GetProperty("data").GetProperty(AuditTailCheck.JournalHash).GetString());

        // The marker is in the chain, and new actions are still audited after it.
        await daemon.PostThingsAsync(2);
        var records = (await daemon.PageAsync()).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([n, n - 1, n - 2], records.Take(3).Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal(["POST /api/test/things/{name}", "POST /api/test/things/{name}", AuditTailCheck.ChainTruncated],
            records.Take(3).Select(r => r.GetProperty("action").GetString()));
        Assert.Equal("system", records[2].GetProperty("actor").GetString());
        verdict = await daemon.VerifyAsync();
        Assert.Equal(n - 2, verdict.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal(n, verdict.GetProperty("records").GetInt64());
        Assert.Equal(n, verdict.GetProperty("writerSequence").GetInt64());
    }

    [Fact]
    public async Task A_hand_edited_anchor_is_recorded_and_alerted_as_altered()
    {
        var dataDir = await StoppedDaemonWithRecordsAsync(5);
        var anchorPath = Path.Combine(dataDir, AuditAnchorFile.FileName);
        // Someone moves the anchor back to hide deletions, without the key to re-sign it.
        await File.WriteAllTextAsync(anchorPath, (await File.ReadAllTextAsync(anchorPath)).Replace("\"sequence\":5", "\"sequence\":3", StringComparison.Ordinal));

        await using var daemon = await AuditDaemon.StartAsync(dataDir, Settings);
        var verdict = await daemon.VerifyAsync();
        Assert.False(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal(6, verdict.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Contains("The tail anchor (audit.head) was altered (MAC mismatch", verdict.GetProperty("reason").GetString());
        Assert.Contains("deletions before sequence 6 cannot be ruled out", verdict.GetProperty("reason").GetString());

        var alert = await AlertAsync(daemon, AuditTailCheck.AnchorInvalid);
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("3", alert.GetProperty("data").GetProperty(AuditTailCheck.AnchorSequence).GetString());

        await daemon.PostThingsAsync(1);
        Assert.Equal(7, (await daemon.HeadAsync()).Last.Sequence);
        // The anchor is valid again, at the new head.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ReadAnchor(dataDir) is not AuditAnchorReading.Valid { Head.Sequence: 7 })
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"audit.head was not renewed: {ReadAnchor(dataDir)}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_normal_stop_and_start_stays_valid_without_a_marker()
    {
        var dataDir = await StoppedDaemonWithRecordsAsync(4);
        await using var daemon = await AuditDaemon.StartAsync(dataDir, Settings);
        await daemon.PostThingsAsync(1);
        var verdict = await daemon.VerifyAsync();
        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal(5, verdict.GetProperty("records").GetInt64());
        Assert.All((await daemon.PageAsync()).GetProperty("records").EnumerateArray(), r => Assert.Equal("admin", r.GetProperty("actor").GetString()));
        await AssertNoAuditAlertAsync(daemon);
    }
}
