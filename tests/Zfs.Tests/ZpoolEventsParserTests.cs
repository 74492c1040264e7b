using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests;

public sealed class ZpoolEventsParserTests
{
    [Fact]
    public void H_gives_time_and_class_per_line()
    {
        var result = ZpoolEventsParser.Parse(Fixture.Read("zpool/zpool-events-H-pool-create-history.txt"));
        Assert.True(result.IsOk, result.ToString());
        var events = result.Value;
        Assert.Equal(177, events.Count);
        Assert.Equal(("Nov 29 2026 07:58:59.720000000", "sysevent.fs.zfs.pool_create"), (events[0].TimeText, events[0].Class));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 7, 58, 59, 720, TimeSpan.Zero), events[0].Time);
        Assert.Empty(events[0].Fields);
        Assert.Equal(("Nov 29 2026 07:59:41.320000000", "sysevent.fs.zfs.history_event"), (events[^1].TimeText, events[^1].Class));
    }

    [Fact]
    public void V_gives_fields_with_exact_time()
    {
        var result = ZpoolEventsParser.Parse(Fixture.Read("zpool/zpool-events-v-offline-fault-spare-removal.txt"));
        Assert.True(result.IsOk, result.ToString());
        var events = result.Value;
        Assert.Equal(23, events.Count);

        var offline = events[0];
        Assert.Equal("resource.fs.zfs.statechange", offline.Class);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x6b0bdc1b).AddTicks(0x1ff2b600 / 100), offline.Time);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 8, 2, 35, 536, TimeSpan.Zero), offline.Time);
        Assert.Equal("OFFLINE", offline.Fields["vdev_state"]);
        Assert.Equal("ONLINE", offline.Fields["vdev_laststate"]);
        Assert.Equal("/dev/sdb1", offline.Fields["vdev_path"]);
        Assert.Equal("tank", offline.Fields["pool"]);
        Assert.Equal("scsi-0QEMU_QEMU_HARDDISK_ZFSLAB01-part1", offline.Fields["vdev_devid"]);
        Assert.Equal("0x6a6", offline.Fields["eid"]);
        Assert.Equal(14, offline.Fields.Count);

        Assert.Equal(["resource.fs.zfs.statechange", "sysevent.fs.zfs.config_sync", "resource.fs.zfs.statechange", "sysevent.fs.zfs.vdev_spare"],
            events.Take(4).Select(e => e.Class));
        Assert.Contains(events, e => e.Class == "resource.fs.zfs.removed");
        Assert.Contains(events, e => e.Class == "sysevent.fs.zfs.resilver_finish");
    }

    [Fact]
    public void V_checksum_ereport_flattens_embedded_nvlists()
    {
        var result = ZpoolEventsParser.Parse(Fixture.Read("zpool/zpool-events-v-checksum-ereports.txt"));
        Assert.True(result.IsOk, result.ToString());
        Assert.Equal(21, result.Value.Count);
        var checksum = result.Value.First(e => e.Class == "ereport.fs.zfs.checksum");
        Assert.Equal("zfs", checksum.Fields["detector.scheme"]);
        Assert.Equal("0xd1e8b3331f745d3e", checksum.Fields["detector.vdev"]);
        Assert.Equal("backup", checksum.Fields["pool"]);
        Assert.Equal("0x1", checksum.Fields["vdev_cksum_errors"]);
        Assert.Equal("0x13000 0x20000", checksum.Fields["bad_ranges"]);
        Assert.Equal("", checksum.Fields["vdev_spare_paths"]);
        Assert.Equal("0x3000b0 [SCRUB SCAN_THREAD CANFAIL DONT_QUEUE DONT_PROPAGATE]", checksum.Fields["zio_flags"]);
        Assert.Equal("mirror", checksum.Fields["parent_type"]);
    }

    [Theory]
    [InlineData("        pool = \"tank\"\n", 1, "field line before any event line")]
    [InlineData("yesterday\tsysevent.fs.zfs.pool_create\n", 1, "event time is not 'Mon dd yyyy hh:mm:ss.nnnnnnnnn'")]
    [InlineData("Nov 29 2026 08:02:35.536000000 resource.fs.zfs.statechange\n        garbage\n", 2, "field line is not 'name = value'")]
    public void Bad_lines_give_a_typed_error(string text, int line, string message)
    {
        var result = ZpoolEventsParser.Parse(text);
        Assert.False(result.IsOk);
        Assert.Equal(("zpool events", line, message), (result.Error.Source, result.Error.Line, result.Error.Message));
    }
}
