using System.Globalization;
using System.Text.RegularExpressions;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Parses <c>zpool status [-v] [-p] [-P] [-x]</c> text of OpenZFS 0.8–2.3 and of zfs-fuse 0.7
/// (which prints <c>scrub:</c> instead of <c>scan:</c> and file paths as vdev names).
/// Each pool must show a <c>state:</c> line, a <c>config:</c> tree with its
/// <c>NAME STATE READ WRITE CKSUM</c> header, and an <c>errors:</c> line; a missing piece means the
/// output was cut short and gives a <see cref="ParseError"/>.
/// </summary>
public static partial class ZpoolStatusParser
{
    private const string Source = "zpool status";

    /// <summary>
    /// Key lines such as <c>  pool: tank</c>, <c> state: ONLINE</c>, <c>   see: …</c>, <c>errors: …</c>.
    /// At most 4 leading spaces, so the 8-space file list under <c>errors:</c> is never a key.
    /// </summary>
    [GeneratedRegex(@"^ {0,4}([a-z]+):(?: (.*)|)$")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)% done")]
    private static partial Regex PercentDone();

    [GeneratedRegex(@"^(\d+) data errors")]
    private static partial Regex DataErrors();

    public static ParseResult<IReadOnlyList<PoolStatus>> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Fail(ParseError.At(Source, "empty output", 1, null));

        var lines = TextLines.Split(text);
        var pools = new List<PoolStatus>();
        var start = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var key = KeyLine().Match(lines[i]);
            if (key.Success && key.Groups[1].Value == "pool")
            {
                if (start >= 0)
                {
                    var pool = ParsePool(lines, start, i);
                    if (!pool.IsOk) return Fail(pool.Error);
                    pools.Add(pool.Value);
                }
                start = i;
            }
            else if (start < 0 && !string.IsNullOrWhiteSpace(lines[i]))
            {
                var trimmed = lines[i].Trim();
                // The whole answer when there is nothing to show (`zpool status`, `zpool status -x`).
                if (trimmed is "no pools available" or "all pools are healthy") continue;
                return Fail(ParseError.At(Source, "expected a 'pool:' line", i + 1, lines[i]));
            }
        }
        if (start >= 0)
        {
            var last = ParsePool(lines, start, lines.Length);
            if (!last.IsOk) return Fail(last.Error);
            pools.Add(last.Value);
        }
        return ParseResult.Ok<IReadOnlyList<PoolStatus>>(pools);
    }

    private static ParseResult<IReadOnlyList<PoolStatus>> Fail(ParseError error) =>
        ParseResult.Fail<IReadOnlyList<PoolStatus>>(error);

    /// <summary>A key line and the continuation lines under it (1-based line numbers kept for errors).</summary>
    private sealed record Entry(string Key, string Value, int Line, List<(int Line, string Text)> More);

    private static ParseResult<PoolStatus> ParsePool(string[] lines, int from, int to)
    {
        var entries = new List<Entry>();
        for (var i = from; i < to; i++)
        {
            var line = lines[i];
            var key = KeyLine().Match(line);
            if (key.Success)
            {
                entries.Add(new Entry(key.Groups[1].Value, key.Groups[2].Value.Trim(), i + 1, []));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                // Blank lines matter only inside the config tree, where they are skipped anyway.
                continue;
            }
            if (line[0] is not ('\t' or ' '))
                return ParseResult.Fail<PoolStatus>(ParseError.At(Source, "unexpected line", i + 1, line));
            entries[^1].More.Add((i + 1, line));
        }

        var head = entries[0];
        var name = head.Value;
        if (name.Length == 0)
            return ParseResult.Fail<PoolStatus>(ParseError.At(Source, "pool line without a name", head.Line, lines[from]));

        var state = entries.FirstOrDefault(e => e.Key == "state");
        if (state is null || state.Value.Length == 0)
            return ParseResult.Fail<PoolStatus>(ParseError.At(Source, $"pool '{name}' has no state line", head.Line, lines[from]));

        var config = entries.FirstOrDefault(e => e.Key == "config");
        if (config is null)
            return ParseResult.Fail<PoolStatus>(ParseError.At(Source, $"pool '{name}' has no config section (output cut short?)", to, lines[to - 1]));

        var errorEntries = entries.Where(e => e.Key == "errors").ToList();
        // A pool that cannot be opened at all (its disks are gone) has no errors line on zfs-fuse;
        // for every other pool a missing errors line means the output was cut short.
        var unopenable = state.Value is "UNAVAIL" or "FAULTED";
        if (errorEntries.Count == 0 && !unopenable)
            return ParseResult.Fail<PoolStatus>(ParseError.At(Source, $"pool '{name}' has no errors line (output cut short?)", to, lines[to - 1]));

        var tree = ZpoolStatusTree.Parse(config.More, config.Line);
        if (!tree.IsOk) return ParseResult.Fail<PoolStatus>(tree.Error);

        var scans = entries.Where(e => e.Key is "scan" or "scrub").Select(ParseScan).ToList();
        var scan = scans.FirstOrDefault(s => s.State == ScanState.InProgress) ?? scans.FirstOrDefault() ?? ScanInfo.Absent;

        var errorTexts = new List<string>();
        long? dataErrors = null;
        foreach (var e in errorEntries)
        {
            errorTexts.Add(e.Value);
            errorTexts.AddRange(e.More.Select(m => m.Text.Trim()));
            dataErrors ??= DataErrorCount(e);
        }

        var t = tree.Value;
        return ParseResult.Ok(new PoolStatus(
            name,
            state.Value,
            Joined(entries, "status"),
            Joined(entries, "action"),
            entries.FirstOrDefault(e => e.Key == "see")?.Value,
            scan,
            scans,
            string.Join('\n', errorTexts),
            dataErrors,
            t.Root,
            t.Of(VdevClass.Log),
            t.Of(VdevClass.Cache),
            t.Of(VdevClass.Spare),
            t.Of(VdevClass.Special),
            t.Of(VdevClass.Dedup)));
    }

    private static string? Joined(List<Entry> entries, string key)
    {
        var entry = entries.FirstOrDefault(e => e.Key == key);
        if (entry is null) return null;
        return TextLines.Normalise(string.Join(' ', entry.More.Select(m => m.Text).Prepend(entry.Value)));
    }

    private static long? DataErrorCount(Entry errors)
    {
        if (errors.Value.StartsWith("No known data errors", StringComparison.Ordinal)) return 0;
        var n = DataErrors().Match(errors.Value);
        if (n.Success && long.TryParse(n.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            return count;
        // "Permanent errors have been detected in the following files:" then one entry per line.
        if (errors.Value.StartsWith("Permanent errors", StringComparison.Ordinal)) return errors.More.Count;
        return null;
    }

    private static ScanInfo ParseScan(Entry entry)
    {
        var text = string.Join('\n', entry.More.Select(m => m.Text.Trim()).Prepend(entry.Value));
        var first = entry.Value;
        // zfs-fuse: "scrub: scrub completed after 0h0m…", "scrub: resilver in progress for 0h0m…".
        var kind = first.StartsWith("resilver", StringComparison.Ordinal) ? ScanKind.Resilver
            : first.StartsWith("scrub", StringComparison.Ordinal) || first.StartsWith("error scrub", StringComparison.Ordinal) ? ScanKind.Scrub
            : ScanKind.None;
        var state = kind == ScanKind.None ? ScanState.None
            : first.Contains("in progress", StringComparison.Ordinal) ? ScanState.InProgress
            : first.Contains("paused", StringComparison.Ordinal) ? ScanState.Paused
            : first.Contains("cancel", StringComparison.Ordinal) || first.Contains("stopped", StringComparison.Ordinal) ? ScanState.Canceled
            : first.Contains("repaired", StringComparison.Ordinal) || first.Contains("resilvered", StringComparison.Ordinal)
              || first.Contains("completed", StringComparison.Ordinal) ? ScanState.Finished
            : ScanState.None;
        double? percent = null;
        var p = PercentDone().Match(text);
        if (p.Success && double.TryParse(p.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            percent = value;
        return new ScanInfo(kind, state, percent, text);
    }
}
