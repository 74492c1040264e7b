using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Parses <c>zpool get</c> in both dialects into rows (<see cref="ZfsPropertyRow.Name"/> is the pool):
/// OpenZFS <c>zpool get -Hp -o name,property,value,source all</c> (tab-separated, as <c>zfs get -Hp</c>)
/// and zfs-fuse <c>zpool get all &lt;pool&gt;…</c>, which knows no <c>-H</c> and prints a
/// <c>NAME PROPERTY VALUE SOURCE</c> header with space-aligned columns. In the aligned form a value
/// with spaces is rebuilt from the middle columns (name, property and source never contain one).
/// Never throws.
/// </summary>
public static class ZpoolGetParser
{
    private const string Source = "zpool get";

    public static ParseResult<IReadOnlyList<ZfsPropertyRow>> Parse(string text)
    {
        var lines = TextLines.Split(text ?? "");
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0) return ParseResult.Ok<IReadOnlyList<ZfsPropertyRow>>([]);
        var header = TextLines.Tokens(lines[first]);
        if (header is not ["NAME", "PROPERTY", "VALUE", "SOURCE"])
        {
            var tabbed = ZfsGetParser.Parse(text!);
            return tabbed.IsOk ? tabbed : ParseResult.Fail<IReadOnlyList<ZfsPropertyRow>>(tabbed.Error with { Source = Source });
        }

        var rows = new List<ZfsPropertyRow>();
        for (var i = first + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var tokens = TextLines.Tokens(lines[i]);
            if (tokens.Length < 4)
                return ParseResult.Fail<IReadOnlyList<ZfsPropertyRow>>(ParseError.At(Source, $"expected NAME PROPERTY VALUE SOURCE, got {tokens.Length} columns", i + 1, lines[i]));
            rows.Add(new ZfsPropertyRow(tokens[0], tokens[1], string.Join(' ', tokens[2..^1]), tokens[^1]));
        }

        return ParseResult.Ok<IReadOnlyList<ZfsPropertyRow>>(rows);
    }
}
