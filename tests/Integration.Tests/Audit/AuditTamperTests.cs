using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using DPlaneOS.Actors.Audit;
using Npgsql;
using Xunit.Abstractions;

namespace DPlaneOS.Integration.Tests.Audit;

/// <summary>
/// Tampering with the SQLite journal while the daemon is stopped, then verifying through the route
/// after a restart: the verdict names the exact first broken sequence.
/// </summary>
public sealed class AuditTamperTests(ITestOutputHelper output)
{
    private static async Task<string> DataDirWithRecordsAsync(int count)
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-audit-").FullName;
        await using var daemon = await AuditDaemon.StartAsync(dataDir);
        await daemon.PostThingsAsync(count);
        var verdict = await daemon.VerifyAsync();
        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal(count, verdict.GetProperty("records").GetInt64());
        return dataDir;
    }

    private static void AssertBrokenAt(JsonElement verdict, long sequence, string reasonPart)
    {
        Assert.False(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal(sequence, verdict.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Contains(reasonPart, verdict.GetProperty("reason").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_edited_record_is_named_by_its_sequence_even_after_the_chain_grows()
    {
        var dataDir = await DataDirWithRecordsAsync(10);
        var journal = new SqliteAuditJournal(dataDir);
        await journal.EditDetailAsync(5, "route.name", "someone-else");

        await using var daemon = await AuditDaemon.StartAsync(dataDir);
        var verdict = await daemon.VerifyAsync();
        AssertBrokenAt(verdict, 5, "HMAC mismatch at sequence 5");
        Assert.Equal(10, verdict.GetProperty("records").GetInt64());

        // The writer carries on after the tampered record; the verdict does not move.
        await daemon.PostThingsAsync(3);
        verdict = await daemon.VerifyAsync();
        AssertBrokenAt(verdict, 5, "HMAC mismatch at sequence 5");
        Assert.Equal(13, verdict.GetProperty("records").GetInt64());
    }

    [Fact]
    public async Task A_deleted_record_is_named_by_its_sequence()
    {
        var dataDir = await DataDirWithRecordsAsync(10);
        await new SqliteAuditJournal(dataDir).DeleteAsync(5);

        await using var daemon = await AuditDaemon.StartAsync(dataDir);
        var verdict = await daemon.VerifyAsync();
        AssertBrokenAt(verdict, 5, "Sequence 5 is missing");
        Assert.Equal(9, verdict.GetProperty("records").GetInt64());
    }

    [Fact]
    public async Task Deleting_the_first_record_is_caught()
    {
        var dataDir = await DataDirWithRecordsAsync(4);
        await new SqliteAuditJournal(dataDir).DeleteAsync(1);

        await using var daemon = await AuditDaemon.StartAsync(dataDir);
        AssertBrokenAt(await daemon.VerifyAsync(), 1, "Sequence 1 is missing");
    }

    [Fact]
    public async Task A_record_that_no_longer_deserializes_is_named_by_its_sequence()
    {
        var dataDir = await DataDirWithRecordsAsync(10);
        await new SqliteAuditJournal(dataDir).SetPayloadAsync(5, Encoding.UTF8.GetBytes("{\"sequence\": \"not json"));

        // The writer cannot recover past it (it keeps restarting with backoff); verification still answers.
        await using var daemon = await AuditDaemon.StartAsync(dataDir);
        AssertBrokenAt(await daemon.VerifyAsync(), 5, "sequence 5 cannot be read");
    }

    [Fact]
    public async Task A_replaced_key_breaks_the_chain_at_the_first_record()
    {
        var dataDir = await DataDirWithRecordsAsync(10);
        await File.WriteAllBytesAsync(Path.Combine(dataDir, AuditKey.FileName), RandomNumberGenerator.GetBytes(AuditKey.Length));

        await using var daemon = await AuditDaemon.StartAsync(dataDir);
        // verify-chain waits for the writer's start check, so the marker it appends is already there.
        var verdict = await daemon.VerifyAsync();
        AssertBrokenAt(verdict, 1, "No record matches audit.key");
        Assert.Contains("HMAC mismatch at sequence 1", verdict.GetProperty("reason").GetString());
        // The tail anchor, signed with the old key, no longer verifies either: the start recorded that as sequence 11.
        Assert.Contains("before sequence 11", verdict.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_key_of_the_wrong_length_stops_the_start_instead_of_disabling_the_chain()
    {
        var dataDir = await DataDirWithRecordsAsync(1);
        await File.WriteAllBytesAsync(Path.Combine(dataDir, AuditKey.FileName), RandomNumberGenerator.GetBytes(16));

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var daemon = await AuditDaemon.StartAsync(dataDir);
        });
        Assert.Contains("has 16 bytes, not 32", failure.GetBaseException().Message);
    }

    [Fact]
    public async Task Records_deleted_at_the_tail_while_the_daemon_runs_are_caught_by_the_writer_anchor()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-audit-").FullName;
        await using var daemon = await AuditDaemon.StartAsync(dataDir);
        await daemon.PostThingsAsync(6);
        var journal = new SqliteAuditJournal(dataDir);
        await journal.DeleteAsync(6);
        await journal.DeleteAsync(5);

        var verdict = await daemon.VerifyAsync();
        AssertBrokenAt(verdict, 5, "Records 5 to 6 are missing");
        Assert.Equal(6, verdict.GetProperty("writerSequence").GetInt64());
        Assert.Equal(4, verdict.GetProperty("lastSequence").GetInt64());
    }

    [Fact]
    public async Task Ten_thousand_records_written_through_the_actor_verify_intact()
    {
        await using var daemon = await AuditDaemon.StartAsync();
        var writer = daemon.Writer();
        var details = new Dictionary<string, string> { ["route.name"] = "bulk", ["status"] = "200" };
        var written = Stopwatch.StartNew();
        var replies = Enumerable.Range(1, 10_000).Select(i => writer.Ask<AuditLog.Protocol.Recorded>(
            new AuditLog.Protocol.Record(new AuditEntry("admin", "POST /api/test/bulk", $"/api/test/bulk/{i}", details, "127.0.0.1", true)),
            TimeSpan.FromMinutes(2))).ToList();
        var sequences = (await Task.WhenAll(replies)).Select(r => r.Sequence).Order().ToList();
        written.Stop();
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => (long)i), sequences);

        var verified = Stopwatch.StartNew();
        var verdict = await daemon.VerifyAsync();
        verified.Stop();
        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal(10_000, verdict.GetProperty("records").GetInt64());
        output.WriteLine($"10,000 audit records: written through the actor in {written.ElapsedMilliseconds} ms, verified via GET /api/system/audit/verify-chain in {verified.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_chain_verifies_and_catches_an_edit_on_postgresql()
    {
        var connectionString = Environment.GetEnvironmentVariable("DPLANEOS_TEST_POSTGRES")
            ?? throw new InvalidOperationException("DPLANEOS_TEST_POSTGRES is not set: run the tests through scripts/test.sh, which starts PostgreSQL");
        // A database of our own: other tests drop the journal tables of the shared one.
        var database = "audit_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(connectionString, $"CREATE DATABASE {database}");
        var ownConnection = new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            var settings = new Dictionary<string, string> { ["DPlaneOS:Persistence:ConnectionString"] = ownConnection };
            var dataDir = Directory.CreateTempSubdirectory("dplaned-audit-pg-").FullName;
            await using (var daemon = await AuditDaemon.StartAsync(dataDir, settings))
            {
                await daemon.PostThingsAsync(5);
                Assert.True((await daemon.VerifyAsync()).GetProperty("valid").GetBoolean());
            }
            await ExecuteAsync(ownConnection,
                $"UPDATE journal SET message = convert_to(replace(convert_from(message, 'UTF8'), 'thing-3', 'thing-9'), 'UTF8') " +
                $"WHERE persistence_id = '{AuditDaemon.PersistenceIdIn(dataDir)}' AND sequence_number = 3");
            await using (var daemon = await AuditDaemon.StartAsync(dataDir, settings))
                AssertBrokenAt(await daemon.VerifyAsync(), 3, "HMAC mismatch at sequence 3");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(connectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
