using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// The pure chain rules: the canonical byte encoding a record's HMAC is computed over, and sealing.
/// </summary>
/// <remarks>
/// Canonical encoding, version <see cref="FormatTag"/>: a sequence of fields, each written as its
/// UTF-8 byte length (unsigned 32-bit big-endian) followed by those bytes, in this order:
/// <list type="number">
/// <item>the format tag <c>dplaneos.audit.v1</c></item>
/// <item>sequence, decimal</item>
/// <item>time, Unix milliseconds, decimal (records are stored with millisecond precision)</item>
/// <item>actor, action, resource</item>
/// <item>the number of details, decimal; then for each detail in ordinal key order: key, value</item>
/// <item>source</item>
/// <item>success, <c>true</c> or <c>false</c></item>
/// <item>previous hash (lowercase hex)</item>
/// </list>
/// Length prefixes make the split unambiguous (the original joined fields with <c>|</c>, so
/// <c>a|b</c> + <c>c</c> and <c>a</c> + <c>b|c</c> had the same MAC); the sequence inside the MAC
/// makes a record valid at exactly one position.
/// </remarks>
public static class AuditChain
{
    public const string FormatTag = "dplaneos.audit.v1";

    /// <summary>The previous hash of sequence 1.</summary>
    public static readonly string GenesisHash = new('0', 64);

    public static byte[] CanonicalBytes(
        long sequence, DateTimeOffset time, string actor, string action, string resource,
        IReadOnlyDictionary<string, string> details, string source, bool success, string previousHash)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        Field(writer, FormatTag);
        Field(writer, sequence.ToString(CultureInfo.InvariantCulture));
        Field(writer, time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Field(writer, actor);
        Field(writer, action);
        Field(writer, resource);
        Field(writer, details.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            Field(writer, key);
            Field(writer, value);
        }
        Field(writer, source);
        Field(writer, success ? "true" : "false");
        Field(writer, previousHash);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] CanonicalBytes(AuditRecord record) =>
        CanonicalBytes(record.Sequence, record.Time, record.Actor, record.Action, record.Resource,
            record.Details, record.Source, record.Success, record.PreviousHash);

    /// <summary>The HMAC the record should carry, from its own fields (including its previous hash).</summary>
    public static string ComputeHash(AuditKey key, AuditRecord record) => key.Mac(CanonicalBytes(record));

    /// <summary>Gives <paramref name="entry"/> its place after <paramref name="previousHash"/>.</summary>
    public static AuditRecord Seal(AuditKey key, AuditEntry entry, long sequence, DateTimeOffset time, string previousHash)
    {
        // The journal keeps what the MAC covers: milliseconds, so a stored record verifies exactly.
        var stored = DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
        var details = new SortedDictionary<string, string>(entry.Details.ToDictionary(), StringComparer.Ordinal);
        var unsealed = new AuditRecord(sequence, stored, entry.Actor, entry.Action, entry.Resource, details,
            entry.Source, entry.Success, previousHash, Hash: "");
        return unsealed with { Hash = ComputeHash(key, unsealed) };
    }

    /// <summary>The same length-prefixed encoding for other MACs over the audit key (e.g. the tail anchor).</summary>
    public static byte[] LengthPrefixed(params ReadOnlySpan<string> fields)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        foreach (var field in fields) Field(writer, field);
        return writer.WrittenSpan.ToArray();
    }

    private static void Field(ArrayBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), (uint)length);
        writer.Advance(4);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }
}
