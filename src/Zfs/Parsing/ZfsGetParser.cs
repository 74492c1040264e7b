using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Parses <c>zfs get -Hp</c>: one row per line, tab-separated, either
/// <c>-o name,property,value</c> (3 columns) or <c>name,property,value,source</c> (4 columns, also
/// what <c>zfs get -Hp all &lt;ds&gt;</c> prints). The first line fixes the column count. A user
/// property's value may itself contain tabs: name, property and source never do, so the middle
/// columns are joined back into the value. Never throws.
/// </summary>
public static class ZfsGetParser
{
    private const string Source = "zfs get";

    public static ParseResult<IReadOnlyList<ZfsPropertyRow>> Parse(string text)
    {
        var rows = new List<ZfsPropertyRow>();
        if (text is null) return ParseResult.Ok<IReadOnlyList<ZfsPropertyRow>>(rows);

        int? columns = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            var parts = line.Split('\t');
            columns ??= parts.Length switch
            {
                3 => 3,
                >= 4 => 4,
                _ => null,
            };
            if (columns is not { } expected || parts.Length < expected)
                return Fail($"expected {(columns ?? 3)} or more tab-separated columns, got {parts.Length}", i + 1, line);
            if (parts[0].Length == 0 || parts[1].Length == 0)
                return Fail("empty dataset or property name", i + 1, line);

            var source = expected == 4 ? parts[^1] : null;
            var valueParts = expected == 4 ? parts[2..^1] : parts[2..];
            rows.Add(new ZfsPropertyRow(parts[0], parts[1], string.Join('\t', valueParts), source));
        }
        return ParseResult.Ok<IReadOnlyList<ZfsPropertyRow>>(rows);
    }

    private static ParseResult<IReadOnlyList<ZfsPropertyRow>> Fail(string message, int line, string text) =>
        ParseResult.Fail<IReadOnlyList<ZfsPropertyRow>>(ParseError.At(Source, message, line, text));
}
