using System.Globalization;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Parses <c>zpool events -H</c> (one <c>TIME&lt;TAB&gt;CLASS</c> line per event) and <c>zpool events -v</c>
/// (a <c>TIME CLASS</c> header, then per event a <c>time class</c> line, indented <c>name = value</c>
/// lines, and a blank line). The printed time has no zone: it is the host's wall clock, read here as
/// UTC (run zpool with <c>TZ=UTC</c>); with <c>-v</c> the exact <c>time = 0xSECONDS 0xNANOS</c> field wins.
/// </summary>
public static class ZpoolEventsParser
{
    private const string Source = "zpool events";

    public static ParseResult<IReadOnlyList<ZpoolEvent>> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Fail(ParseError.At(Source, "empty output", 1, null));

        var events = new List<ZpoolEvent>();
        string? timeText = null, cls = null;
        Dictionary<string, string>? fields = null;
        var prefixes = new Stack<string>();

        void Flush()
        {
            if (timeText is null || cls is null || fields is null) return;
            var time = ExactTime(fields) ?? WallClock(timeText);
            events.Add(new ZpoolEvent(time, timeText, cls, fields));
            timeText = cls = null;
            fields = null;
            prefixes.Clear();
        }

        var lines = TextLines.Split(text);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var lineNo = i + 1;
            if (string.IsNullOrWhiteSpace(line)) continue;

            if (line[0] is not (' ' or '\t'))
            {
                Flush();
                var tokens = TextLines.Tokens(line);
                if (i == 0 && tokens is ["TIME", "CLASS"]) continue;
                if (tokens.Length < 2)
                    return Fail(ParseError.At(Source, "event line needs a time and a class", lineNo, line));
                // -H separates with a TAB; -v with spaces. The class never contains blanks.
                var tab = line.LastIndexOf('\t');
                var split = tab > 0 ? tab : line.TrimEnd().LastIndexOf(' ');
                // Tokens also split on other white space (\v, \f, NBSP); the time and class are split by TAB or blank only.
                if (split <= 0)
                    return Fail(ParseError.At(Source, "event line needs a time and a class", lineNo, line));
                timeText = line[..split].Trim();
                cls = line[(split + 1)..].Trim();
                if (WallClock(timeText) is null)
                    return Fail(ParseError.At(Source, "event time is not 'Mon dd yyyy hh:mm:ss.nnnnnnnnn'", lineNo, line));
                fields = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }

            if (fields is null)
                return Fail(ParseError.At(Source, "field line before any event line", lineNo, line));
            var trimmed = line.Trim();
            if (trimmed.StartsWith("(end ", StringComparison.Ordinal) && trimmed.EndsWith(')'))
            {
                if (prefixes.Count > 0) prefixes.Pop();
                continue;
            }
            var eq = line.IndexOf(" = ", StringComparison.Ordinal);
            var name = eq < 0 ? "" : line[..eq].Trim();
            var value = eq < 0 ? "" : line[(eq + 3)..].Trim();
            if (eq < 0 && trimmed.EndsWith(" =", StringComparison.Ordinal))
            {
                // Empty arrays print as "vdev_spare_paths = " and lose the blank when trimmed.
                name = trimmed[..^2].Trim();
            }
            if (name.Length == 0)
                return Fail(ParseError.At(Source, "field line is not 'name = value'", lineNo, line));
            var key = string.Concat(prefixes.Reverse().Append(name));
            if (value == "(embedded nvlist)")
            {
                prefixes.Push(name + ".");
                continue;
            }
            fields[key] = Unquote(value);
        }
        Flush();
        return ParseResult.Ok<IReadOnlyList<ZpoolEvent>>(events);
    }

    private static ParseResult<IReadOnlyList<ZpoolEvent>> Fail(ParseError error) =>
        ParseResult.Fail<IReadOnlyList<ZpoolEvent>>(error);

    /// <summary><c>"OFFLINE" (0x2)</c> → <c>OFFLINE</c>; values that are not quoted strings stay as printed.</summary>
    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"') return value;
        var close = value.IndexOf('"', 1);
        return close < 0 ? value : value[1..close];
    }

    /// <summary>The <c>time = 0x6b0bdc1b 0x1ff2b600</c> field: epoch seconds and nanoseconds.</summary>
    private static DateTimeOffset? ExactTime(Dictionary<string, string> fields)
    {
        if (!fields.TryGetValue("time", out var text)) return null;
        var parts = TextLines.Tokens(text);
        if (parts.Length != 2 || !TryHex(parts[0], out var seconds) || !TryHex(parts[1], out var nanos)) return null;
        if (seconds > 253402300799 || nanos >= 1_000_000_000) return null;
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
    }

    private static bool TryHex(string text, out long value)
    {
        value = 0;
        return text.StartsWith("0x", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            && value >= 0;
    }

    /// <summary><c>Nov 29 2026 08:02:35.536000000</c>; .NET reads at most 7 fraction digits, so the rest is cut.</summary>
    private static DateTimeOffset? WallClock(string text)
    {
        var dot = text.LastIndexOf('.');
        var trimmed = dot > 0 && text.Length - dot > 8 ? text[..(dot + 8)] : text;
        return DateTimeOffset.TryParseExact(trimmed,
            ["MMM d yyyy HH:mm:ss.fffffff", "MMM d yyyy HH:mm:ss.FFFFFFF", "MMM d yyyy HH:mm:ss"],
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time)
            ? time
            : null;
    }
}
