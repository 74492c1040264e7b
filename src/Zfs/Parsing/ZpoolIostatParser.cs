using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Parses <c>zpool iostat -v</c> (one sample, no interval). Never yields the header as a row.
/// <list type="bullet">
/// <item>Human form (zfs-fuse, OpenZFS without <c>-H</c>): header lines and dash separators are skipped;
/// depth is the indentation (2 spaces a level); class rows (<c>logs  -  -  …</c>) set the class of the
/// rows after them and are not rows themselves; <c>-</c> gives null; sizes and rates are 1024-based.</item>
/// <item>Scripted form (<c>-Hpv</c>): TAB-separated, exact, but with <b>no indentation and no class
/// names</b>; a blank line starts each class section. Depth and class are then inferred: group names
/// (mirror-N, raidzP-N, draid…, replacing-N, spare-N) open a level; rows with 0 alloc and 0 free are
/// leaves of the open group (replacing/spare groups hold two); a row that would push the data vdevs'
/// allocation past the pool's starts the next pool; k class sections are taken to be the last k of
/// dedup, special, logs, cache (the order zpool prints them). This guess is exact for one pool per call
/// (<c>zpool iostat -Hpv tank</c>); with several pools, or to know classes for sure, pass the pools'
/// <see cref="PoolStatus"/> to <see cref="Parse(string, IReadOnlyList{PoolStatus})"/>.</item>
/// </list>
/// </summary>
public static class ZpoolIostatParser
{
    private const string Source = "zpool iostat";

    private static readonly Dictionary<string, VdevClass> ClassRows = new(StringComparer.Ordinal)
    {
        ["dedup"] = VdevClass.Dedup,
        ["special"] = VdevClass.Special,
        ["logs"] = VdevClass.Log,
        ["cache"] = VdevClass.Cache,
    };

    private static readonly VdevClass[] SectionOrder = [VdevClass.Dedup, VdevClass.Special, VdevClass.Log, VdevClass.Cache];

    public static ParseResult<IReadOnlyList<IostatEntry>> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Fail(ParseError.At(Source, "empty output", 1, null));
        var lines = TextLines.Split(text);
        var first = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        return lines[first].Contains('\t') ? ParseScripted(lines) : ParseHuman(lines);
    }

    /// <summary>Scripted (<c>-Hpv</c>) rows placed exactly by the pools' <c>zpool status</c> trees; human text as <see cref="Parse(string)"/>.</summary>
    public static ParseResult<IReadOnlyList<IostatEntry>> Parse(string text, IReadOnlyList<PoolStatus> layout)
    {
        var parsed = Parse(text);
        if (!parsed.IsOk || !text.Contains('\t')) return parsed;

        var expected = layout.ToDictionary(p => p.Name, Expected, StringComparer.Ordinal);
        var result = new List<IostatEntry>();
        List<(string Name, int Depth, VdevClass Class)>? sequence = null;
        var at = 0;
        foreach (var row in parsed.Value)
        {
            if (sequence is null || at == sequence.Count)
            {
                if (!expected.TryGetValue(row.Name, out sequence))
                    return Fail(new ParseError(Source, $"row '{row.Name}' is not a pool of the given layout"));
                at = 0;
            }
            var slot = sequence[at++];
            if (slot.Name != row.Name)
                return Fail(new ParseError(Source, $"row '{row.Name}' where the layout has '{slot.Name}'"));
            result.Add(row with { Depth = slot.Depth, Class = slot.Class });
        }
        return ParseResult.Ok<IReadOnlyList<IostatEntry>>(result);
    }

    /// <summary>Rows in the order iostat prints them: pool, data tree, dedup, special, logs, cache (no spares).</summary>
    private static List<(string Name, int Depth, VdevClass Class)> Expected(PoolStatus pool)
    {
        var rows = new List<(string, int, VdevClass)>();
        void Walk(Vdev v, int depth)
        {
            rows.Add((v.Name, depth, v.Class));
            foreach (var c in v.Children) Walk(c, depth + 1);
        }
        Walk(pool.Root, 0);
        foreach (var v in pool.Dedup.Concat(pool.Special).Concat(pool.Logs).Concat(pool.Caches)) Walk(v, 1);
        return rows;
    }

    private static ParseResult<IReadOnlyList<IostatEntry>> Fail(ParseError error) =>
        ParseResult.Fail<IReadOnlyList<IostatEntry>>(error);

    private static ParseResult<IReadOnlyList<IostatEntry>> ParseHuman(string[] lines)
    {
        var entries = new List<IostatEntry>();
        var cls = VdevClass.Data;
        var sawHeader = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line)) continue;
            var tokens = TextLines.Tokens(line);
            if (tokens[0] == "capacity" || (tokens[0] == "pool" && tokens.Contains("alloc")))
            {
                sawHeader = true;
                continue;
            }
            if (line.All(c => c is '-' or ' '))
                continue;
            if (!sawHeader)
                return Fail(ParseError.At(Source, "row before the 'pool alloc free' header", i + 1, line));
            if (tokens.Length < 7)
                return Fail(ParseError.At(Source, $"expected a name and 6 values, found {tokens.Length} fields", i + 1, line));

            var name = string.Join(' ', tokens[..^6]);
            var values = tokens[^6..];
            var depth = (line.Length - line.TrimStart(' ').Length) / 2;
            if (depth == 0 && ClassRows.TryGetValue(name, out var next) && values.All(v => v == "-"))
            {
                cls = next;
                continue;
            }
            if (depth == 0) cls = VdevClass.Data;
            if (!TryValues(values, out var v))
                return Fail(ParseError.At(Source, "a value is neither a number nor '-'", i + 1, line));
            entries.Add(new IostatEntry(name, depth, cls, v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        if (!sawHeader)
            return Fail(ParseError.At(Source, "no 'pool alloc free' header", 1, lines[0]));
        return ParseResult.Ok<IReadOnlyList<IostatEntry>>(entries);
    }

    private sealed record Row(string Name, int Depth, int Section, long?[] Values);

    private static ParseResult<IReadOnlyList<IostatEntry>> ParseScripted(string[] lines)
    {
        var entries = new List<IostatEntry>();
        var pool = new List<Row>();
        long poolAlloc = 0, dataAlloc = 0;
        var section = 0;
        var groupOpen = false;
        var nestedLeft = 0;
        var blankBefore = false;

        void Flush()
        {
            var sections = pool.Count == 0 ? 0 : pool.Max(r => r.Section);
            foreach (var r in pool)
            {
                var cls = r.Section == 0 ? VdevClass.Data : SectionOrder[SectionOrder.Length - sections + r.Section - 1];
                var v = r.Values;
                entries.Add(new IostatEntry(r.Name, r.Depth, cls, v[0], v[1], v[2], v[3], v[4], v[5]));
            }
            pool.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line))
            {
                blankBefore = pool.Count > 0;
                continue;
            }
            if (blankBefore)
            {
                // A blank line opens the next class section; it carries no name.
                blankBefore = false;
                if (section == SectionOrder.Length)
                    return Fail(ParseError.At(Source, "more class sections than zpool prints", i + 1, line));
                section++;
                groupOpen = false;
                nestedLeft = 0;
            }
            var fields = line.Split('\t');
            if (fields.Length != 7 || fields[0].Length == 0)
                return Fail(ParseError.At(Source, $"expected a name and 6 TAB-separated values, found {fields.Length} fields", i + 1, line));
            if (!TryValues(fields[1..], out var values))
                return Fail(ParseError.At(Source, "a value is neither a number nor '-'", i + 1, line));
            var name = fields[0];
            var alloc = values[0] ?? 0;
            var empty = alloc == 0 && (values[1] ?? 0) == 0;

            int depth;
            if (pool.Count == 0)
            {
                depth = 0;
            }
            else if (IsGroup(name))
            {
                var nested = groupOpen && (name.StartsWith("replacing", StringComparison.Ordinal) || name.StartsWith("spare", StringComparison.Ordinal));
                depth = nested ? 2 : 1;
                if (nested) nestedLeft = 2;
                else groupOpen = true;
                if (!nested && section == 0) dataAlloc += alloc;
            }
            else if (empty && groupOpen)
            {
                depth = nestedLeft > 0 ? 3 : 2;
                if (nestedLeft > 0) nestedLeft--;
            }
            else if (section == 0 && dataAlloc + alloc > poolAlloc)
            {
                Flush();
                depth = 0;
            }
            else
            {
                depth = 1;
                groupOpen = false;
                if (section == 0) dataAlloc += alloc;
            }

            if (depth == 0)
            {
                poolAlloc = alloc;
                dataAlloc = 0;
                section = 0;
                groupOpen = false;
                nestedLeft = 0;
            }
            pool.Add(new Row(name, depth, section, values));
        }
        Flush();
        return ParseResult.Ok<IReadOnlyList<IostatEntry>>(entries);
    }

    private static bool IsGroup(string name) =>
        name.StartsWith("mirror", StringComparison.Ordinal)
        || name.StartsWith("raidz", StringComparison.Ordinal)
        || (name.StartsWith("draid", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal))
        || name.StartsWith("replacing-", StringComparison.Ordinal)
        || name.StartsWith("spare-", StringComparison.Ordinal);

    /// <summary>alloc, free, read ops, write ops, read B/s, write B/s: exact or 1024-based human; '-' is null.</summary>
    private static bool TryValues(string[] texts, out long?[] values)
    {
        values = new long?[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            var t = texts[i].Trim();
            if (t == "-") continue;
            if (!ByteSize.TryParse(t, out var n)) return false;
            values[i] = n;
        }
        return true;
    }
}
