using System.Text.Json.Nodes;
using DPlaneOS.Actors.Audit;
using Microsoft.Data.Sqlite;

namespace DPlaneOS.Integration.Tests.Audit;

/// <summary>Direct access to the daemon's SQLite journal, the way someone tampering with it would go.</summary>
public sealed class SqliteAuditJournal(string dataDir)
{
    private string ConnectionString => $"Data Source={Path.Combine(dataDir, "dplaneos.db")};Pooling=False";

    public async Task<IReadOnlyList<(long Sequence, string Json)>> RecordsAsync()
    {
        await using var connection = await OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_number, message FROM journal WHERE persistence_id = $id AND manifest = 'audit.record.v1' ORDER BY sequence_number";
        command.Parameters.AddWithValue("$id", AuditDaemon.PersistenceIdIn(dataDir));
        var rows = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt64(0), System.Text.Encoding.UTF8.GetString((byte[])reader.GetValue(1))));
        return rows;
    }

    public async Task<int> CountAsync() => (await RecordsAsync()).Count;

    /// <summary>Changes one detail value inside the stored JSON of record <paramref name="sequence"/>, leaving its hash alone.</summary>
    public async Task EditDetailAsync(long sequence, string detail, string value)
    {
        var json = JsonNode.Parse((await RecordsAsync()).Single(r => r.Sequence == sequence).Json)!;
        json["details"]![detail] = value;
        await SetPayloadAsync(sequence, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public async Task SetPayloadAsync(long sequence, byte[] payload)
    {
        await using var connection = await OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "UPDATE journal SET message = $payload WHERE persistence_id = $id AND sequence_number = $seq";
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$id", AuditDaemon.PersistenceIdIn(dataDir));
        command.Parameters.AddWithValue("$seq", sequence);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public async Task DeleteAsync(long sequence)
    {
        await using var connection = await OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM journal WHERE persistence_id = $id AND sequence_number = $seq";
        command.Parameters.AddWithValue("$id", AuditDaemon.PersistenceIdIn(dataDir));
        command.Parameters.AddWithValue("$seq", sequence);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
