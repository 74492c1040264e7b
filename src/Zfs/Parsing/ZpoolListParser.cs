using System.Globalization;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Parses <c>zpool list</c> pool rows.
/// <list type="bullet">
/// <item><c>Parse(text)</c> assumes the default columns of <c>zpool list -Hp</c>:
/// name size alloc free ckpoint expandsz frag cap dedup health altroot.</item>
/// <item><c>Parse(text, columns)</c> takes the <c>-o</c> list, e.g. zfs-fuse's
/// <c>name,size,allocated,free,capacity,health</c> (human sizes <c>250M</c>, <c>12%</c>) or OpenZFS's
/// <c>name,size,allocated,free,capacity,fragmentation,health,dedupratio,altroot</c> (exact).
/// Full names and short aliases (alloc, cap, frag, dedup) are both accepted; columns the record
/// has no field for (ckpoint, expandsz, guid…) are skipped; fields whose column is absent are null.</item>
/// </list>
/// Fields are split on TABs (<c>-H</c>), or on runs of spaces when the line has no TAB. A header line
/// (<c>NAME …</c>), indented vdev rows and class rows (<c>logs  -  -  …</c>) of <c>-v</c> are skipped.
/// </summary>
public static class ZpoolListParser
{
    private const string Source = "zpool list";

    /// <summary>The columns of plain <c>zpool list -Hp</c> (OpenZFS 2.x).</summary>
    public static IReadOnlyList<string> DefaultColumns { get; } =
        ["name", "size", "alloc", "free", "ckpoint", "expandsz", "frag", "cap", "dedup", "health", "altroot"];

    private static readonly HashSet<string> ClassRowNames = new(StringComparer.Ordinal) { "dedup", "special", "logs", "cache", "spare", "spares" };

    public static ParseResult<IReadOnlyList<ZpoolListEntry>> Parse(string text) => Parse(text, DefaultColumns);

    public static ParseResult<IReadOnlyList<ZpoolListEntry>> Parse(string text, IReadOnlyList<string> columns)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < columns.Count; c++)
            index.TryAdd(Canonical(columns[c].Trim().ToLowerInvariant()), c);
        if (!index.ContainsKey("name"))
            return Fail(new ParseError(Source, "the column list has no 'name' column"));
        if (string.IsNullOrWhiteSpace(text))
            return Fail(ParseError.At(Source, "empty output", 1, null));

        var entries = new List<ZpoolListEntry>();
        var lines = TextLines.Split(text);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var lineNo = i + 1;
            if (string.IsNullOrWhiteSpace(line)) continue;
            // Indented rows are vdevs of `zpool list -v`; this parser reads pools only.
            if (line[0] is ' ' or '\t') continue;

            var fields = line.Contains('\t') ? line.Split('\t') : TextLines.Tokens(line);
            if (i == 0 && fields[0].Trim() == "NAME") continue;
            if (ClassRowNames.Contains(fields[0].Trim()) && fields.Skip(1).All(f => f.Trim() is "-" or "")) continue;
            if (fields.Length < columns.Count)
                return Fail(ParseError.At(Source, $"expected {columns.Count} fields, found {fields.Length}", lineNo, line));

            string? Field(string column) => index.TryGetValue(column, out var at) ? fields[at].Trim() : null;

            var name = Field("name")!;
            if (name.Length == 0)
                return Fail(ParseError.At(Source, "empty pool name", lineNo, line));
            if (!TrySize(Field("size"), out var size) || !TrySize(Field("allocated"), out var alloc) || !TrySize(Field("free"), out var free))
                return Fail(ParseError.At(Source, "size, allocated or free is not a size", lineNo, line));
            if (!TryPercent(Field("capacity"), out var cap) || !TryPercent(Field("fragmentation"), out var frag))
                return Fail(ParseError.At(Source, "capacity or fragmentation is not a percentage", lineNo, line));
            if (!TryRatio(Field("dedupratio"), out var dedup))
                return Fail(ParseError.At(Source, "dedupratio is not a ratio", lineNo, line));
            var health = Field("health") ?? "";
            if (index.ContainsKey("health") && (health.Length == 0 || !health.All(char.IsAsciiLetterUpper)))
                return Fail(ParseError.At(Source, "health is not a state word", lineNo, line));
            var altroot = Field("altroot");
            entries.Add(new ZpoolListEntry(name, size, alloc, free, cap, frag, health, dedup, altroot is null or "-" ? null : altroot));
        }
        return ParseResult.Ok<IReadOnlyList<ZpoolListEntry>>(entries);
    }

    private static ParseResult<IReadOnlyList<ZpoolListEntry>> Fail(ParseError error) =>
        ParseResult.Fail<IReadOnlyList<ZpoolListEntry>>(error);

    private static string Canonical(string column) => column switch
    {
        "alloc" => "allocated",
        "cap" => "capacity",
        "frag" => "fragmentation",
        "dedup" => "dedupratio",
        _ => column,
    };

    /// <summary>Absent column or '-' is null; exact bytes or 1024-based human sizes otherwise.</summary>
    private static bool TrySize(string? text, out long? value) =>
        TryOptional(text, t => ByteSize.TryParse(t, out var bytes) ? bytes : null, out value);

    private static bool TryPercent(string? text, out int? value) =>
        TryOptional(text, t => int.TryParse(t.EndsWith('%') ? t[..^1] : t, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) ? percent : null, out value);

    private static bool TryRatio(string? text, out double? value) =>
        TryOptional(text, t => double.TryParse(t.EndsWith('x') ? t[..^1] : t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ratio) ? ratio : null, out value);

    /// <summary>An absent column or '-' is null and fine; otherwise <paramref name="parse"/> gives the value, or null when the text is not one.</summary>
    private static bool TryOptional<T>(string? text, Func<string, T?> parse, out T? value)
        where T : struct
    {
        value = text is null or "-" ? null : parse(text);
        return value is not null || text is null or "-";
    }
}
