using System.Data.Common;
using System.Net;
using DPlaneOS.Actors.Node;
using DPlaneOS.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DPlaneOS.Integration.Tests.Persistence;

/// <summary>
/// A journal or snapshot row that the daemon's record serializer (4711) did not write, here a
/// Newtonsoft row (serializer id 1) of a type whose constructor leaves a mark, is refused when the real
/// daemon (a child process) recovers: one error names the persistence id and the row's sequence number,
/// the type is never constructed, and the rest of the safety plane runs.
/// </summary>
public sealed class ForeignSerializerTests
{
    private static readonly string LifecycleId = $"node-lifecycle-{Environment.MachineName}";

    private static NodeLifecycleActor.Protocol.NodeStarted Started(int day) =>
        new("0.9", Environment.MachineName, new DateTimeOffset(2026, 1, day, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_newtonsoft_journal_row_in_sqlite_is_refused_naming_its_persistence_id_and_sequence_number()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-foreign-").FullName;
        var store = Store.Sqlite(Path.Combine(dataDir, "dplaneos.db"));
        await ForeignRows.WriteAsync(store.ConnectionString, store.Provider, LifecycleId,
            [Started(1), new ConstructionWitness { Note = "journal row 2" }, Started(3)]);
        Assert.Equal([4711, 1, 4711], await store.JournalSerializersAsync(LifecycleId));

        await AssertRefusedAsync(dataDir, store, "journal row", 2);
    }

    [Fact]
    public async Task A_newtonsoft_snapshot_row_in_sqlite_is_refused_naming_its_persistence_id_and_sequence_number()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-foreign-").FullName;
        var store = Store.Sqlite(Path.Combine(dataDir, "dplaneos.db"));
        await ForeignRows.WriteAsync(store.ConnectionString, store.Provider, LifecycleId,
            [Started(1), Started(2)], snapshot: new ConstructionWitness { Note = "snapshot at 2" });
        Assert.Equal([1], await store.SnapshotSerializersAsync(LifecycleId));

        await AssertRefusedAsync(dataDir, store, "snapshot", 2);
    }

    [Fact]
    public async Task A_newtonsoft_journal_row_in_postgresql_is_refused_naming_its_persistence_id_and_sequence_number()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        var store = Store.Postgres(database.ConnectionString);
        await ForeignRows.WriteAsync(store.ConnectionString, store.Provider, LifecycleId,
            [Started(1), Started(2), new ConstructionWitness { Note = "journal row 3" }]);
        Assert.Equal([4711, 4711, 1], await store.JournalSerializersAsync(LifecycleId));

        await AssertRefusedAsync(Directory.CreateTempSubdirectory("dplaned-foreign-").FullName, store, "journal row", 3);
    }

    private static async Task AssertRefusedAsync(string dataDir, Store store, string what, long sequenceNr)
    {
        var witness = Path.Combine(Directory.CreateTempSubdirectory("dplaned-witness-").FullName, "constructed");
        await using var daemon = await DaemonProcess.StartAsync(dataDir,
            settings: store.DaemonSettings,
            environment: new Dictionary<string, string?>
            {
                // The daemon can resolve the witness type by name, as it would resolve a type of its own.
                ["DOTNET_STARTUP_HOOKS"] = Path.Combine(AppContext.BaseDirectory, "DPlaneOS.TestSupport.dll"),
                [ConstructionWitness.FileVariable] = witness,
            });

        var refusal = await daemon.WaitForOutputAsync(
            l => l.Contains($"'{LifecycleId}'", StringComparison.Ordinal) && l.Contains($"sequence number {sequenceNr}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"a refusal of the {what} of {LifecycleId} at sequence number {sequenceNr}");
        Assert.Contains(what, refusal, StringComparison.Ordinal);
        Assert.Contains("serializer 1", refusal, StringComparison.Ordinal);

        // The rest of the safety plane runs; the refusing actor stays down (its route gives 503).
        using var client = daemon.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/system/starts")).StatusCode);
        Assert.False(File.Exists(witness), $"the refused row's type was constructed: {(File.Exists(witness) ? File.ReadAllText(witness) : "")}");
    }

    /// <summary>The database both the writer and the daemon use, and how to read the serializer ids it stored.</summary>
    private sealed record Store(string ConnectionString, string Provider, Func<DbConnection> Open, IReadOnlyDictionary<string, string?> DaemonSettings)
    {
        // Only the SQLite file in the data dir needs no setting: it is the daemon's default.
        public static Store Sqlite(string file) =>
            new($"Data Source={file}", "SQLite.MS", () => new SqliteConnection($"Data Source={file};Pooling=False"), new Dictionary<string, string?>());

        public static Store Postgres(string connectionString) =>
            new(connectionString, "PostgreSQL.15", () => new NpgsqlConnection(connectionString),
                new Dictionary<string, string?> { ["DPlaneOS:Persistence:ConnectionString"] = connectionString });

        public Task<List<int>> JournalSerializersAsync(string persistenceId) =>
            IdsAsync("SELECT identifier FROM journal WHERE persistence_id = @id ORDER BY sequence_number", persistenceId);

        public Task<List<int>> SnapshotSerializersAsync(string persistenceId) =>
            IdsAsync("SELECT serializer_id FROM snapshot WHERE persistence_id = @id ORDER BY sequence_number", persistenceId);

        private async Task<List<int>> IdsAsync(string sql, string persistenceId)
        {
            await using var connection = Open();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "id";
            parameter.Value = persistenceId;
            command.Parameters.Add(parameter);
            var ids = new List<int>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            return ids;
        }
    }

    /// <summary>A database of its own on the lab PostgreSQL (other tests share dplaneos_test), dropped afterwards.</summary>
    private sealed class ScratchDatabase : IAsyncDisposable
    {
        private readonly string _server;
        private readonly string _name;

        private ScratchDatabase(string server, string name, string connectionString)
        {
            _server = server;
            _name = name;
            ConnectionString = connectionString;
        }

        public string ConnectionString { get; }

        public static async Task<ScratchDatabase> CreateAsync()
        {
            var server = Environment.GetEnvironmentVariable("DPLANEOS_TEST_POSTGRES")
                ?? throw new InvalidOperationException("DPLANEOS_TEST_POSTGRES is not set: run the tests through scripts/test.sh, which starts PostgreSQL");
            var name = $"dplaneos_foreign_{Guid.NewGuid():N}";
            await ExecuteAsync(server, $"CREATE DATABASE {name}");
            return new ScratchDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
        }

        private static async Task ExecuteAsync(string server, string sql)
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
        }
    }
}
