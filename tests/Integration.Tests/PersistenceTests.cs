using System.Text.Json;
using DPlaneOS.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DPlaneOS.Integration.Tests;

/// <summary>The journal on the embedded SQLite file and on a real PostgreSQL (started by scripts/test.sh).</summary>
public sealed class PersistenceTests
{
    private static async Task<int> StartsAsync(DaemonFixture daemon)
    {
        // The start is journalled right after recovery; poll until it is visible.
        for (var attempt = 0; ; attempt++)
        {
            var json = JsonDocument.Parse(await daemon.Client(daemon.Token).GetStringAsync("/api/system/starts")).RootElement;
            var count = json.GetProperty("items").GetArrayLength();
            if (count > 0 || attempt > 100) return count;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_embedded_sqlite_journal_keeps_every_start_across_restarts()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-sqlite-").FullName;
        await using (var first = await DaemonFixture.StartAsync(dataDir: dataDir))
            Assert.Equal(1, await StartsAsync(first));
        await using (var second = await DaemonFixture.StartAsync(dataDir: dataDir))
            Assert.Equal(2, await StartsAsync(second));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "dplaneos.db")}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest FROM journal ORDER BY ordering";
        var manifests = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) manifests.Add(reader.GetString(0));
        Assert.Equal(["node.started.v1", "node.started.v1"], manifests);
    }

    [Fact]
    public async Task A_connection_string_switches_the_journal_to_postgresql()
    {
        var connectionString = Environment.GetEnvironmentVariable("DPLANEOS_TEST_POSTGRES")
            ?? throw new InvalidOperationException("DPLANEOS_TEST_POSTGRES is not set: run the tests through scripts/test.sh, which starts PostgreSQL");
        await using (var cleanup = new NpgsqlConnection(connectionString))
        {
            await cleanup.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE IF EXISTS journal, snapshot, tags CASCADE", cleanup);
            await drop.ExecuteNonQueryAsync();
        }

        var settings = new Dictionary<string, string> { ["DPlaneOS:Persistence:ConnectionString"] = connectionString };
        await using (var first = await DaemonFixture.StartAsync(settings: settings))
            Assert.Equal(1, await StartsAsync(first));
        await using (var second = await DaemonFixture.StartAsync(settings: settings))
            Assert.Equal(2, await StartsAsync(second));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM journal WHERE manifest = 'node.started.v1'", connection);
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }
}
