using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests;

public sealed class ZpoolListParserTests
{
    private static IReadOnlyList<ZpoolListEntry> Ok(ParseResult<IReadOnlyList<ZpoolListEntry>> result)
    {
        Assert.True(result.IsOk, result.ToString());
        return result.Value;
    }

    [Fact]
    public void Default_Hp_columns_with_suspended_and_degraded_pools()
    {
        var pools = Ok(ZpoolListParser.Parse(Fixture.Read("zpool/zpool-list-Hp-4pools-suspended-degraded.txt")));
        Assert.Equal(
            [
                new ZpoolListEntry("backup", 1006632960, 190038016, 816594944, 18, 5, "DEGRADED", 1.00, null),
                new ZpoolListEntry("scratch", 1006632960, 6840320, 999792640, 0, 2, "ONLINE", 1.00, null),
                new ZpoolListEntry("stripe", 2013265920, 21356544, 1991909376, 1, 1, "SUSPENDED", 1.00, null),
                new ZpoolListEntry("tank", 7918845952, 133832704, 7785013248, 1, 0, "DEGRADED", 3.00, null),
            ],
            pools);
    }

    [Fact]
    public void Hp_with_explicit_column_list()
    {
        var columns = "name,size,allocated,free,capacity,fragmentation,health,dedupratio,altroot".Split(',');
        var pools = Ok(ZpoolListParser.Parse(Fixture.Read("zpool/zpool-list-Hp-o-name-size-alloc-free-cap-frag-health-dedup-altroot.txt"), columns));
        Assert.Equal(
            [
                new ZpoolListEntry("backup", 1006632960, 63324160, 943308800, 6, 1, "ONLINE", 1.00, null),
                new ZpoolListEntry("scratch", 1006632960, 6840320, 999792640, 0, 2, "ONLINE", 1.00, null),
                new ZpoolListEntry("tank", 7918845952, 121188352, 7797657600, 1, 0, "ONLINE", 3.00, null),
            ],
            pools);
    }

    [Fact]
    public void Zfs_fuse_human_sizes_and_percent_capacity()
    {
        var pools = Ok(ZpoolListParser.Parse(Fixture.Read("zpool/zfsfuse-zpool-list-H-o-name-size-alloc-free-cap-health.txt"),
            ["name", "size", "allocated", "free", "capacity", "health"]));
        Assert.Equal([new ZpoolListEntry("hzpcap24791", 123L * 1024 * 1024, 544L * 1024, 122L * 1024 * 1024, 0, null, "ONLINE", null, null)], pools);
    }

    [Fact]
    public void Verbose_lists_yield_pool_rows_only()
    {
        var hpv = Ok(ZpoolListParser.Parse(Fixture.Read("zpool/zpool-list-Hpv-vdevs-class-rows-not-tab-separated.txt")));
        Assert.Equal(["backup", "scratch", "tank"], hpv.Select(p => p.Name));
        Assert.Equal(3.00, hpv[2].DedupRatio);

        // Not -H: a header and space-aligned columns (netdata's capture, GPL-3.0-or-later).
        var withHeader = Ok(ZpoolListParser.Parse(Fixture.Read("zpool/zpool-list-p-v-L-degraded-log-cache-unavail.txt")));
        Assert.Equal([new ZpoolListEntry("rpool", 9981503995904, 3046188658688, 6935315337216, 30, 9, "DEGRADED", 1.00, null)], withHeader);
    }

    [Fact]
    public void Altroot_and_short_column_aliases()
    {
        var pools = Ok(ZpoolListParser.Parse("usb\t1000\t10\t990\t1%\t-\tONLINE\t1.00x\t/mnt/usb\n",
            ["name", "size", "alloc", "free", "cap", "frag", "health", "dedup", "altroot"]));
        Assert.Equal([new ZpoolListEntry("usb", 1000, 10, 990, 1, null, "ONLINE", 1.00, "/mnt/usb")], pools);
    }

    [Theory]
    [InlineData("tank\t1000\n", 1, "expected 11 fields, found 2")]
    [InlineData("tank\tbig\t1\t1\t-\t-\t0\t1\t1.00\tONLINE\t-\n", 1, "size, allocated or free is not a size")]
    [InlineData("a\t1\t1\t1\t-\t-\t0\t1\t1.00\tONLINE\t-\nb\t1\t1\t1\t-\t-\tx\t1\t1.00\tONLINE\t-\n", 2, "capacity or fragmentation is not a percentage")]
    [InlineData("tank\t1\t1\t1\t-\t-\t0\t1\t1.00\t\u00e9\t-\n", 1, "health is not a state word")]
    public void Bad_rows_give_a_typed_error_with_the_line(string text, int line, string message)
    {
        var result = ZpoolListParser.Parse(text);
        Assert.False(result.IsOk);
        Assert.Equal(("zpool list", line, message), (result.Error.Source, result.Error.Line, result.Error.Message));
    }
}
