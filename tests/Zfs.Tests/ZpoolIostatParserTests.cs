using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests;

public sealed class ZpoolIostatParserTests
{
    private static IReadOnlyList<IostatEntry> Ok(ParseResult<IReadOnlyList<IostatEntry>> result)
    {
        Assert.True(result.IsOk, result.ToString());
        return result.Value;
    }

    private static string Outline(IEnumerable<IostatEntry> rows) =>
        string.Join(" ", rows.Select(r => $"{r.Depth}:{r.Name}:{r.Class}"));

    private const string ExpectedOutline =
        "0:backup:Data 1:mirror-0:Data 2:sdp:Data 2:sdq:Data " +
        "0:scratch:Data 1:sdr:Data " +
        "0:tank:Data 1:raidz2-0:Data 2:sda:Data 2:sdb:Data 2:sdc:Data 2:sdd:Data 2:sde:Data 2:sdf:Data " +
        "1:mirror-2:Dedup 2:sdi:Dedup 2:sdj:Dedup 1:mirror-1:Special 2:sdg:Special 2:sdh:Special " +
        "1:mirror-3:Log 2:sdk:Log 2:sdl:Log 1:sdm:Cache";

    [Fact]
    public void Human_verbose_with_class_rows_and_placeholders()
    {
        var rows = Ok(ZpoolIostatParser.Parse(Fixture.Read("zpool/zpool-iostat-v-raidz2-special-dedup-log-cache.txt")));
        Assert.Equal(ExpectedOutline, Outline(rows));
        Assert.DoesNotContain(rows, r => r.Name is "pool" or "capacity" or "dedup" or "logs");
        Assert.Equal(new IostatEntry("backup", 0, VdevClass.Data, 63333990, 943718400, 0, 34, 43725, 2946499), rows[0]);
        Assert.Equal(new IostatEntry("sdp", 2, VdevClass.Data, null, null, 0, 17, 21914, 1468006), rows[2]);
        Assert.Equal(new IostatEntry("mirror-2", 1, VdevClass.Dedup, 49152, 1006632960, 4, 7, 274432, 93594), rows[14]);
    }

    [Fact]
    public void Scripted_exact_rows_with_blank_line_class_sections()
    {
        var rows = Ok(ZpoolIostatParser.Parse(Fixture.Read("zpool/zpool-iostat-Hpv-blank-line-class-separators.txt")));
        Assert.Equal(ExpectedOutline, Outline(rows));
        Assert.Equal(new IostatEntry("tank", 0, VdevClass.Data, 121188352, 7797657600, 24, 234, 1631629, 4007873), rows[6]);
        Assert.Equal(new IostatEntry("sdm", 1, VdevClass.Cache, 80412672, 978120704, 0, 10, 9152, 1528803), rows[^1]);
    }

    [Fact]
    public void Scripted_rows_placed_by_the_status_layout()
    {
        var layout = ZpoolStatusParser.Parse(Fixture.Read("zpool/zpool-status-3pools-raidz2-special-dedup-log-cache-spares-healthy.txt")).Value;
        var rows = Ok(ZpoolIostatParser.Parse(Fixture.Read("zpool/zpool-iostat-Hpv-blank-line-class-separators.txt"), layout));
        Assert.Equal(ExpectedOutline, Outline(rows));

        var wrong = ZpoolIostatParser.Parse("other\t1\t1\t1\t1\t1\t1\n", layout);
        Assert.False(wrong.IsOk);
        Assert.Equal("row 'other' is not a pool of the given layout", wrong.Error.Message);
    }

    [Fact]
    public void Zfs_fuse_human_output()
    {
        var rows = Ok(ZpoolIostatParser.Parse(Fixture.Read("zpool/zfsfuse-zpool-iostat-v-mirror.txt")));
        Assert.Equal("0:hzpcap24791:Data 1:mirror:Data 2:/tmp/zpcap-h/d1:Data 2:/tmp/zpcap-h/d2:Data", Outline(rows));
        Assert.Equal(new IostatEntry("/tmp/zpcap-h/d1", 2, VdevClass.Data, null, null, 10, 184, 524L * 1024, 2191524), rows[2]);
    }

    [Theory]
    [InlineData("tank\t1\t2\t3\n", 1, "expected a name and 6 TAB-separated values, found 4 fields")]
    [InlineData("tank\t1\t2\t3\t4\t5\tsix\n", 1, "a value is neither a number nor '-'")]
    [InlineData("tank   1  2  3  4  5  6\n", 1, "row before the 'pool alloc free' header")]
    public void Bad_rows_give_a_typed_error(string text, int line, string message)
    {
        var result = ZpoolIostatParser.Parse(text);
        Assert.False(result.IsOk);
        Assert.Equal(("zpool iostat", line, message), (result.Error.Source, result.Error.Line, result.Error.Message));
    }
}
