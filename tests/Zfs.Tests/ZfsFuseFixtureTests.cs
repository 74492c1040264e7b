using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests;

/// <summary>Parsers over real zfs-fuse captures in every fault state (Fixtures/zfs-fuse/PROVENANCE.md).</summary>
public sealed class ZfsFuseFixtureTests
{
    private static PoolStatus Status(string file) =>
        ZpoolStatusParser.Parse(Fixture.Read($"zfs-fuse/{file}")) is { IsOk: true } ok
            ? ok.Value.Single()
            : throw new Xunit.Sdk.XunitException(ZpoolStatusParser.Parse(Fixture.Read($"zfs-fuse/{file}")).Error!.ToString());

    private static IEnumerable<(string Name, string State, long Read, long Write, long Cksum, string? Note)> Rows(PoolStatus pool)
    {
        IEnumerable<Vdev> Walk(Vdev v) => new[] { v }.Concat(v.Children.SelectMany(Walk));
        return Walk(pool.Root).Select(v => (v.Name, v.State, v.ReadErrors, v.WriteErrors, v.ChecksumErrors, v.Note));
    }

    [Fact]
    public void Healthy_mirror_of_by_id_links()
    {
        var pool = Status("zpool-status-mirror-healthy.txt");
        Assert.Equal("tank", pool.Name);
        Assert.Equal("ONLINE", pool.State);
        Assert.Null(pool.Status);
        Assert.Equal(ScanKind.None, pool.Scan.Kind);
        Assert.Equal(0, pool.DataErrorCount);
        Assert.Equal(
            [("tank", "ONLINE", 0L, 0L, 0L, (string?)null), ("mirror-0", "ONLINE", 0, 0, 0, null),
             ("disk/by-id/ata-DPLANE_LAB_tank_1", "ONLINE", 0, 0, 0, null), ("disk/by-id/ata-DPLANE_LAB_tank_2", "ONLINE", 0, 0, 0, null)],
            Rows(pool));
        Assert.Equal(VdevKind.Mirror, pool.Root.Children.Single().Kind);
    }

    [Fact]
    public void Two_pools_in_name_order()
    {
        var pools = ZpoolStatusParser.Parse(Fixture.Read("zfs-fuse/zpool-status-two-pools.txt")).Value;
        Assert.Equal(["scratch", "tank"], pools.Select(p => p.Name));
        var raidz = pools[0].Root.Children.Single();
        Assert.Equal("raidz1-0", raidz.Name);
        Assert.Equal(VdevKind.Raidz, raidz.Kind);
        Assert.Equal(3, raidz.Children.Count);
    }

    [Fact]
    public void Degraded_with_one_disk_offline()
    {
        var pool = Status("zpool-status-mirror-degraded-offline.txt");
        Assert.Equal("DEGRADED", pool.State);
        Assert.StartsWith("One or more devices has been taken offline by the administrator.", pool.Status);
        Assert.StartsWith("Online the device using 'zpool online'", pool.Action);
        Assert.Null(pool.See);
        Assert.Equal(["ONLINE", "OFFLINE"], pool.AllLeaves().Select(l => l.State));
        Assert.Equal("DEGRADED", pool.Root.Children.Single().State);
    }

    [Fact]
    public void Checksum_errors_after_a_scrub_with_repaired_note()
    {
        var pool = Status("zpool-status-mirror-cksum-after-scrub.txt");
        Assert.Equal("ONLINE", pool.State);
        Assert.Equal("http://www.sun.com/msg/ZFS-8000-9P", pool.See);
        Assert.Equal(ScanKind.Scrub, pool.Scan.Kind);
        Assert.Equal(ScanState.Finished, pool.Scan.State);
        var damaged = pool.AllLeaves().Last();
        Assert.Equal(573, damaged.ChecksumErrors);
        Assert.Equal("56.6M repaired", damaged.Note);
        Assert.Equal(0, pool.Root.ChecksumErrors);
    }

    [Fact]
    public void Resilver_completed_after_online()
    {
        var pool = Status("zpool-status-mirror-online-resilvered.txt");
        Assert.Equal(ScanKind.Resilver, pool.Scan.Kind);
        Assert.Equal(ScanState.Finished, pool.Scan.State);
        Assert.Equal("1.36M resilvered", pool.AllLeaves().Last().Note);
    }

    [Fact]
    public void Hung_writes_show_only_in_write_counters_and_data_errors()
    {
        var pool = Status("zpool-status-mirror-hung-writes.txt");
        Assert.Equal("ONLINE", pool.State);
        Assert.Equal("http://www.sun.com/msg/ZFS-8000-8A", pool.See);
        Assert.Equal(2, pool.DataErrorCount);
        Assert.Equal(ByteSizeCount("55.8K"), pool.Root.WriteErrors);
        Assert.True(pool.Root.CountsApproximate);
        Assert.All(pool.AllLeaves(), l => Assert.Equal(ByteSizeCount("90.7K"), l.WriteErrors));
    }

    [Fact]
    public void Hung_writes_verbose_lists_the_damaged_files()
    {
        var pool = Status("zpool-status-v-mirror-hung-writes.txt");
        Assert.Contains("hung:<0x0>", pool.Errors);
        Assert.Contains("/var/tmp/dplaneos-lab/mnt/hung/hang-fill.bin", pool.Errors);
    }

    [Fact]
    public void A_pool_whose_disks_vanished_is_unavail_even_without_an_errors_line()
    {
        var pool = Status("zpool-status-stale-pool-files-missing-unavail.txt");
        Assert.Equal("UNAVAIL", pool.State);
        Assert.Equal("http://www.sun.com/msg/ZFS-8000-3C", pool.See);
        Assert.Equal("insufficient replicas", pool.Root.Note);
        Assert.All(pool.AllLeaves(), l => Assert.Equal(("UNAVAIL", "cannot open"), (l.State, l.Note)));
    }

    [Fact]
    public void Zpool_list_human_sizes_and_a_faulted_pool_without_sizes()
    {
        string[] columns = ["name", "size", "allocated", "free", "capacity", "health"];
        var pools = ZpoolListParser.Parse(Fixture.Read("zfs-fuse/zpool-list-H-o-name-size-allocated-free-capacity-health.txt"), columns).Value;
        Assert.Equal(("scratch", 370L << 20, 0, "ONLINE"), (pools[0].Name, pools[0].Size!.Value, pools[0].CapacityPercent!.Value, pools[0].Health));
        Assert.Equal(("tank", 250L << 20, 1), (pools[1].Name, pools[1].Size!.Value, pools[1].CapacityPercent!.Value));

        var stale = ZpoolListParser.Parse(Fixture.Read("zfs-fuse/zpool-list-H-stale-faulted.txt"), columns).Value.Single();
        Assert.Equal(("labh7", (long?)null, (int?)null, "FAULTED"), (stale.Name, stale.Size, stale.CapacityPercent, stale.Health));
    }

    [Fact]
    public void Iostat_verbose_with_misaligned_long_names()
    {
        var rows = ZpoolIostatParser.Parse(Fixture.Read("zfs-fuse/zpool-iostat-v.txt")).Value;
        Assert.Equal(["scratch", "tank"], rows.Where(r => r.Depth == 0).Select(r => r.Name));
        Assert.Contains(rows, r => r is { Name: "mirror", Depth: 1 });
        Assert.Contains(rows, r => r is { Name: "disk/by-id/ata-DPLANE_LAB_tank_2", Depth: 2, Allocated: null });
        Assert.DoesNotContain(rows, r => r.Name is "pool" or "capacity");
    }

    [Fact]
    public void Nested_datasets_with_exact_bytes()
    {
        var datasets = ZfsDatasetProperties.Group(ZfsGetParser.Parse(Fixture.Read("zfs-fuse/zfs-get-Hp-nested.txt")).Value);
        Assert.Equal(["tank", "tank/backup", "tank/data", "tank/data/projects"], datasets.Select(d => d.Name));
        var projects = datasets[3];
        Assert.Equal(52428800, projects.Bytes("quota"));
        Assert.Equal(48242688, projects.Bytes("available"));
        Assert.Equal(("none", "no"), (datasets[1].Properties["mountpoint"], datasets[1].Properties["mounted"]));
    }

    private static long ByteSizeCount(string text) => ByteSize.TryParse(text, out var value) ? value : throw new ArgumentException(text);
}
