using CsCheck;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests;

/// <summary>Garbage, cut-short and mutated outputs give a typed <see cref="ParseError"/>, never an exception.</summary>
public sealed class ZpoolCorruptionTests
{
    private static readonly string[] Fixtures = Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "zpool"), "*.txt")
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .ToArray();

    private static readonly string[] StatusFixtures = Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "zpool"), "*status*.txt")
        .Where(f => !f.EndsWith("zpool-status-x-all-pools-healthy.txt", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .ToArray();

    /// <summary>Runs every zpool parser; any exception fails the test.</summary>
    private static void ParseWithAll(string text)
    {
        Check(ZpoolStatusParser.Parse(text).Error);
        Check(ZpoolListParser.Parse(text).Error);
        Check(ZpoolListParser.Parse(text, ["name", "size", "allocated", "free", "capacity", "health"]).Error);
        Check(ZpoolIostatParser.Parse(text).Error);
        Check(ZpoolEventsParser.Parse(text).Error);

        static void Check(ParseError? error)
        {
            if (error is null) return;
            Assert.False(string.IsNullOrEmpty(error.Message));
            Assert.StartsWith("zpool ", error.Source);
        }
    }

    [Fact]
    public void Status_cut_short_anywhere_inside_the_last_pool_is_an_error_with_a_line()
    {
        Assert.Equal(26, StatusFixtures.Length);
        foreach (var text in StatusFixtures)
        {
            var lastPool = text.LastIndexOf("  pool: ", StringComparison.Ordinal);
            var errors = text.IndexOf("\nerrors:", lastPool, StringComparison.Ordinal);
            Assert.True(lastPool >= 0 && errors > lastPool);
            for (var cut = lastPool + 8; cut <= errors; cut += 7)
            {
                var result = ZpoolStatusParser.Parse(text[..cut]);
                Assert.False(result.IsOk, $"cut at {cut} parsed: {text[..cut]}");
                Assert.NotNull(result.Error.Line);
            }
            Assert.True(ZpoolStatusParser.Parse(text).IsOk);
        }
    }

    [Theory]
    [InlineData("", 1, "empty output")]
    [InlineData("   \n\n", 1, "empty output")]
    [InlineData("cannot open 'tank': no such pool\n", 1, "expected a 'pool:' line")]
    [InlineData("  pool: tank\n state: ONLINE\nconfig:\n\n\ttank ONLINE 0 0 0\n\nerrors: No known data errors\n", 5,
        "config section lacks the 'NAME STATE READ WRITE CKSUM' header")]
    [InlineData("  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\t  sda ONLINE zero 0 0\n\nerrors: No known data errors\n", 7,
        "vdev row lacks numeric READ/WRITE/CKSUM counts")]
    [InlineData("  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\t      sda ONLINE 0 0 0\n\nerrors: No known data errors\n", 7,
        "vdev row is indented deeper than its parent allows")]
    [InlineData("  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\tother ONLINE 0 0 0\n\nerrors: No known data errors\n", 7,
        "a second top-level row that is not a class header")]
    [InlineData("  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\t  sda\n\nerrors: No known data errors\n", 7,
        "vdev row has no state")]
    [InlineData("  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n", 6,
        "pool 'tank' has no errors line (output cut short?)")]
    [InlineData("  pool: tank\nconfig:\n", 1, "pool 'tank' has no state line")]
    [InlineData("\u0000\u00ff\u0001garbage\u0007", 1, "expected a 'pool:' line")]
    public void Broken_status_gives_a_typed_error(string text, int line, string message)
    {
        var result = ZpoolStatusParser.Parse(text);
        Assert.False(result.IsOk);
        Assert.Equal(("zpool status", (int?)line, message), (result.Error.Source, result.Error.Line, result.Error.Message));
    }

    [Fact]
    public void An_event_line_split_only_by_other_white_space_is_a_typed_error()
    {
        var result = ZpoolEventsParser.Parse("Nov\v29\v2026\v08:00:00.000000000\vsysevent.fs.zfs.pool_create\n");
        Assert.False(result.IsOk);
        Assert.Equal("event line needs a time and a class", result.Error.Message);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 600]
            .Select(bytes => new string(bytes.Select(b => (char)b).ToArray()))
            .Sample(ParseWithAll, iter: 2000);
    }

    [Fact]
    public void Random_strings_never_throw()
    {
        Gen.String.Sample(ParseWithAll, iter: 2000);
    }

    /// <summary>Each fixture cut, with a character dropped, inserted or replaced, or a line repeated or removed.</summary>
    [Fact]
    public void Mutated_and_truncated_fixtures_never_throw()
    {
        Gen.Select(Gen.Int[0, Fixtures.Length - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, 5], Gen.Char)
            .Sample(t =>
            {
                var (which, at, how, c) = t;
                var text = Fixtures[which];
                var pos = text.Length == 0 ? 0 : at % text.Length;
                var lines = text.Split('\n').ToList();
                var line = at % lines.Count;
                var mutated = how switch
                {
                    0 => text[..pos],
                    1 => text.Remove(pos, Math.Min(1, text.Length - pos)),
                    2 => text.Insert(pos, c.ToString()),
                    3 => text[..pos] + c + text[Math.Min(text.Length, pos + 1)..],
                    4 => string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))),
                    _ => string.Join('\n', lines.Where((_, i) => i != line)),
                };
                ParseWithAll(mutated);
            }, iter: 4000);
    }

    [Fact]
    public void Every_fixture_truncated_at_every_line_never_throws()
    {
        foreach (var text in Fixtures)
        {
            for (var cut = text.IndexOf('\n'); cut >= 0; cut = text.IndexOf('\n', cut + 1))
            {
                ParseWithAll(text[..cut]);
                ParseWithAll(text[..(cut + 1)]);
                ParseWithAll(text[..Math.Max(0, cut - 3)]);
            }
        }
    }
}
