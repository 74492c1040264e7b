using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DPlaneOS.Actors.Support;

/// <summary>
/// Finds and masks secrets in settings by their names: any setting whose name says password,
/// secret, token, API key, private key or credential, and the password inside any connection
/// string. Works on the JSON form of the options, so a feature that adds
/// <c>Smtp.Password</c> or <c>Webhooks.Secret</c> later is covered without changes here.
/// </summary>
public static partial class SecretSettings
{
    public const string Mask = "[REDACTED]";

    private static readonly string[] PasswordKeys = ["password", "pwd", "psw"];

    /// <summary>Every secret value in <paramref name="settings"/>, with the path of the setting it sits in.</summary>
    public static IReadOnlyList<SecretValue> Find(JsonNode? settings)
    {
        var found = new List<SecretValue>();
        Walk(settings, "", (path, name, value) =>
        {
            if (SecretName().IsMatch(name) && value.Length > 0) found.Add(SecretValue.FromText($"setting {path}", value));
            else if (ConnectionStringName().IsMatch(name) && ConnectionStringPassword(value) is { Length: > 0 } password)
                found.Add(SecretValue.FromText($"password in {path}", password));
            return value;
        });
        return found;
    }

    /// <summary>A copy of <paramref name="settings"/> with every secret replaced by <see cref="Mask"/>.</summary>
    public static JsonNode? Masked(JsonNode? settings)
    {
        var copy = settings?.DeepClone();
        Walk(copy, "", (_, name, value) =>
            SecretName().IsMatch(name) && value.Length > 0 ? Mask
            : ConnectionStringName().IsMatch(name) ? MaskConnectionString(value)
            : value);
        return copy;
    }

    /// <summary>
    /// The password in a PostgreSQL (Npgsql) or SQLite connection string, parsed by the provider's
    /// own builder so every synonym it accepts is found; null when there is none.
    /// </summary>
    public static string? ConnectionStringPassword(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        try
        {
            var npgsql = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(npgsql.Password)) return npgsql.Password;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // Not a PostgreSQL connection string (it has keys Npgsql does not know).
        }
        try
        {
            var sqlite = new SqliteConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(sqlite.Password)) return sqlite.Password;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // Not a SQLite connection string either.
        }
        return GenericPassword(connectionString);
    }

    private static string? GenericPassword(string connectionString)
    {
        try
        {
            var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in PasswordKeys)
            {
                if (generic.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } password) return password;
            }
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string MaskConnectionString(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return connectionString;
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in builder.Keys.Cast<string>().ToList())
            {
                if (PasswordKeys.Contains(key.ToLowerInvariant())) builder[key] = Mask;
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return $"{Mask} (not a valid connection string)";
        }
    }

    /// <summary>Visits every string value (also inside arrays); <paramref name="visit"/> returns its replacement.</summary>
    private static void Walk(JsonNode? node, string path, Func<string, string, string, string> visit, string name = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    var childPath = path.Length == 0 ? key : $"{path}:{key}";
                    if (child is JsonValue value && value.TryGetValue<string>(out var text)) obj[key] = visit(childPath, key, text);
                    else Walk(child, childPath, visit, key);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text)) array[i] = visit($"{path}:{i}", name, text);
                    else Walk(array[i], $"{path}:{i}", visit, name);
                }
                break;
        }
    }

    [GeneratedRegex("(?i)(password|passwd|pwd|secret|token|api_?key|private_?key|credential)")]
    private static partial Regex SecretName();

    [GeneratedRegex("(?i)connection_?string")]
    private static partial Regex ConnectionStringName();
}
