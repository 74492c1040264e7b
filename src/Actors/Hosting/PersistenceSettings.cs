namespace DPlaneOS.Actors.Hosting;

/// <summary>Which database the journal and snapshots go to: the embedded SQLite file or PostgreSQL.</summary>
public sealed record PersistenceSettings(string ConnectionString, string ProviderName, string Description)
{
    public static PersistenceSettings From(DPlaneOSOptions options)
    {
        var configured = options.Persistence.ConnectionString;
        if (string.IsNullOrWhiteSpace(configured))
        {
            var file = Path.Combine(options.DataDir, "dplaneos.db");
            return new($"Data Source={file}", LinqToDB.ProviderName.SQLiteMS, $"SQLite {file}");
        }

        var provider = options.Persistence.Provider?.ToLowerInvariant()
            ?? (configured.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? "postgresql" : "sqlite");
        return provider switch
        {
            "postgresql" or "postgres" => new(configured, LinqToDB.ProviderName.PostgreSQL15, "PostgreSQL"),
            "sqlite" => new(configured, LinqToDB.ProviderName.SQLiteMS, "SQLite"),
            _ => throw new InvalidOperationException($"DPlaneOS:Persistence:Provider '{options.Persistence.Provider}' is not sqlite or postgresql"),
        };
    }
}
