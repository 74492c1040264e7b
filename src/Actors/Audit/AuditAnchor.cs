using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// The tail anchor: the newest head the writer persisted, kept outside the journal in
/// <c>&lt;data-dir&gt;/audit.head</c> as <c>{"sequence":N,"hash":"…","mac":"…"}</c>, so records deleted at the
/// tail while the daemon is stopped show at the next start. The MAC is the lowercase hex
/// HMAC-SHA256 with the audit key over the length-prefixed fields (as in <see cref="AuditChain"/>)
/// <c>dplaneos.audit.anchor.v1</c>, sequence (decimal), hash: without the key the file cannot be moved back.
/// </summary>
public static class AuditAnchor
{
    public const string FormatTag = "dplaneos.audit.anchor.v1";

    public static string Mac(AuditKey key, AuditHead head) =>
        key.Mac(AuditChain.LengthPrefixed(FormatTag, head.Sequence.ToString(CultureInfo.InvariantCulture), head.Hash));

    public static byte[] Encode(AuditKey key, AuditHead head) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sequence"] = head.Sequence,
            ["hash"] = head.Hash,
            ["mac"] = Mac(key, head),
        });

    /// <summary>Reads the file's bytes; never throws for bad content.</summary>
    public static AuditAnchorReading Decode(AuditKey key, ReadOnlySpan<byte> bytes)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(bytes));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return new AuditAnchorReading.Invalid($"not valid JSON: {ex.Message}", null, null);
        }
        if (root.ValueKind != JsonValueKind.Object)
            return new AuditAnchorReading.Invalid($"not a JSON object but {root.ValueKind}", null, null);

        long? sequence = root.TryGetProperty("sequence", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) && n >= 0 ? n : null;
        var hash = root.TryGetProperty("hash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        var mac = root.TryGetProperty("mac", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (sequence is null || hash is null || mac is null)
            return new AuditAnchorReading.Invalid("a field is missing or has the wrong type (sequence, hash, mac)", sequence, hash);

        var head = new AuditHead(sequence.Value, hash);
        return string.Equals(mac, Mac(key, head), StringComparison.Ordinal)
            ? new AuditAnchorReading.Valid(head)
            : new AuditAnchorReading.Invalid("MAC mismatch: the file was edited or written with another key", sequence, hash);
    }
}
