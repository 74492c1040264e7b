using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Samba;

/// <summary>
/// Parses <c>smbstatus --json</c> (Samba 4.17+; also <c>-L</c>/<c>-S</c>/<c>-b</c> subsets). Parses
/// by JSON, never by line: 4.17 prints one line, later versions indent. Missing sections are
/// empty; a section of the wrong type, or an entry without its identifying key, is a Fail.
/// Never throws.
/// </summary>
public static partial class SmbStatusParser
{
    private const string Source = "smbstatus --json";

    public static ParseResult<SmbStatus> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Fail("empty output");
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail("top level is not a JSON object");

            var sessions = Entries(root, "sessions").Select(e => ReadSession(e.Key, e.Value)).ToList();
            var tcons = Entries(root, "tcons").Select(e => ReadTcon(e.Key, e.Value)).ToList();
            var usersByPid = UsersByPid(root);
            var openFiles = Entries(root, "open_files").SelectMany(e => ReadOpenFile(e.Key, e.Value, usersByPid)).ToList();
            return ParseResult.Ok(new SmbStatus(JsonFields.String(root, "version"), sessions, tcons, openFiles));
        }
        catch (Exception ex) when (JsonFields.IsBadInput(ex))
        {
            return Fail(ex is JsonException ? $"not valid JSON: {ex.Message}" : ex.Message);
        }
    }

    /// <summary>smbstatus keys each section by id; the values are objects.</summary>
    private static IEnumerable<(string Key, JsonElement Value)> Entries(JsonElement root, string section)
    {
        if (JsonFields.Object(root, section) is not { } entries) yield break;
        foreach (var property in entries.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object) throw new JsonShapeException($"'{section}.{property.Name}' should be an object");
            yield return (property.Name, property.Value);
        }
    }

    private static SmbSession ReadSession(string key, JsonElement session) => new(
        JsonFields.StringOrNumber(session, "session_id") ?? key,
        JsonFields.String(session, "username"),
        JsonFields.String(session, "remote_machine"),
        JsonFields.String(session, "session_dialect"),
        Cipher(session, "encryption"),
        Cipher(session, "signing"));

    private static SmbTreeConnect ReadTcon(string key, JsonElement tcon) => new(
        JsonFields.StringOrNumber(tcon, "tcon_id") ?? key,
        JsonFields.String(tcon, "service") ?? throw new JsonShapeException($"tcon '{key}' has no 'service'"),
        JsonFields.StringOrNumber(tcon, "session_id"),
        JsonFields.String(tcon, "machine"),
        Timestamp(JsonFields.String(tcon, "connected_at")),
        Cipher(tcon, "encryption"));

    private static IEnumerable<SmbOpenFile> ReadOpenFile(string key, JsonElement file, IReadOnlyDictionary<int, string> usersByPid)
    {
        var servicePath = JsonFields.String(file, "service_path") ?? throw new JsonShapeException($"open file '{key}' has no 'service_path'");
        var filename = JsonFields.String(file, "filename") ?? throw new JsonShapeException($"open file '{key}' has no 'filename'");
        var opens = JsonFields.Object(file, "opens");
        var any = false;
        if (opens is { } o)
        {
            foreach (var open in o.EnumerateObject())
            {
                if (open.Value.ValueKind != JsonValueKind.Object) throw new JsonShapeException($"open '{open.Name}' should be an object");
                any = true;
                var pid = Pid(open.Value);
                yield return new SmbOpenFile(servicePath, filename, pid, pid is { } p && usersByPid.TryGetValue(p, out var user) ? user : null);
            }
        }
        if (!any) yield return new SmbOpenFile(servicePath, filename, null, null);
    }

    /// <summary>Each smbd process serves one session, so its pid names the user of every open it holds.</summary>
    private static Dictionary<int, string> UsersByPid(JsonElement root)
    {
        var users = new Dictionary<int, string>();
        foreach (var (_, session) in Entries(root, "sessions"))
            if (Pid(session) is { } pid && JsonFields.String(session, "username") is { } name) users[pid] = name;
        return users;
    }

    private static int? Pid(JsonElement entry) =>
        JsonFields.Object(entry, "server_id") is { } server
        && int.TryParse(JsonFields.StringOrNumber(server, "pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    /// <summary><c>{"cipher": "AES-128-GCM", "degree": "partial"}</c> → the cipher; degree <c>none</c>, <c>-</c> or empty → null.</summary>
    private static string? Cipher(JsonElement entry, string name)
    {
        if (JsonFields.Get(entry, name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.String) return Meaningful(value.GetString());
        if (value.ValueKind != JsonValueKind.Object) throw new JsonShapeException($"'{name}' should be an object");
        if (string.Equals(JsonFields.String(value, "degree"), "none", StringComparison.OrdinalIgnoreCase)) return null;
        return Meaningful(JsonFields.String(value, "cipher"));
    }

    private static string? Meaningful(string? text) => string.IsNullOrWhiteSpace(text) || text == "-" ? null : text;

    /// <summary>Samba writes offsets both as <c>+00:00</c> and <c>+0000</c>; .NET wants the colon.</summary>
    private static DateTimeOffset? Timestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var normalized = OffsetWithoutColon().Replace(text.Trim(), "$1$2:$3");
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    [GeneratedRegex(@"([+-])([0-9]{2})([0-9]{2})\z")]
    private static partial Regex OffsetWithoutColon();

    private static ParseResult<SmbStatus> Fail(string message) => ParseResult.Fail<SmbStatus>(new ParseError(Source, message));
}
