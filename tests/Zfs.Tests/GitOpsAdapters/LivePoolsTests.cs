using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class LivePoolsTests
{
    private static IReadOnlyList<PoolStatus> Status(string fixture) => ZpoolStatusParser.Parse(Fixture.Read(fixture)).Value;

    [Fact]
    public void Zfs_fuse_by_id_leaves_get_their_dev_prefix_back_and_the_layout_is_read_from_the_group_names()
    {
        var pools = LivePools.From(Status("zfs-fuse/zpool-status-two-pools.txt"), []);
        var scratch = pools.Single(p => p.Name == "scratch");
        Assert.Equal(VdevType.Raidz1, scratch.VdevType);
        Assert.Equal(["/dev/disk/by-id/ata-DPLANE_LAB_scratch_1", "/dev/disk/by-id/ata-DPLANE_LAB_scratch_2", "/dev/disk/by-id/ata-DPLANE_LAB_scratch_3"], scratch.Disks);
        var tank = pools.Single(p => p.Name == "tank");
        Assert.Equal(VdevType.Mirror, tank.VdevType);
        Assert.Equal(["/dev/disk/by-id/ata-DPLANE_LAB_tank_1", "/dev/disk/by-id/ata-DPLANE_LAB_tank_2"], tank.Disks);
    }

    [Fact]
    public void OpenZfs_full_paths_of_whole_disks_lose_their_partition_suffix()
    {
        var root = Assert.Single(LivePools.From(Status("zpool/zpool-status-P-hw-nvme-mirror-scrub-in-progress-eta.txt"), []));
        Assert.Equal(["/dev/disk/by-id/nvme-Force_MP510_1850820700012771028C", "/dev/disk/by-id/nvme-Force_MP510_18508207000127710062"], root.Disks);
        Assert.Equal(VdevType.Mirror, root.VdevType);
    }

    [Fact]
    public void Only_data_vdevs_count_and_kernel_names_stay_as_they_are()
    {
        // raidz2 data vdev plus dedup/special/log mirrors, cache and spares: only the six data disks are "the pool's disks".
        var tank = Assert.Single(LivePools.From(Status("zpool/zpool-status-P-raidz2-full-partition-paths.txt"), []));
        Assert.Equal(VdevType.Raidz2, tank.VdevType);
        Assert.Equal(["/dev/sda1", "/dev/sdb1", "/dev/sdc1", "/dev/sdd1", "/dev/sde1", "/dev/sdf1"], tank.Disks);
    }

    [Fact]
    public void A_pool_of_bare_disks_is_a_stripe_and_mixed_groups_have_no_single_layout()
    {
        Vdev Disk(string name) => new(name, VdevKind.Disk, VdevClass.Data, "ONLINE", 0, 0, 0, null, []);
        Vdev Group(string name, VdevKind kind) => new(name, kind, VdevClass.Data, "ONLINE", 0, 0, 0, null, [Disk(name + "a"), Disk(name + "b")]);
        Vdev Root(params Vdev[] children) => new("p", VdevKind.Pool, VdevClass.Data, "ONLINE", 0, 0, 0, null, children);

        Assert.Equal(VdevType.Stripe, LivePools.Layout(Root(Disk("a"), Disk("b"))));
        Assert.Equal(VdevType.Raidz3, LivePools.Layout(Root(Group("raidz3-0", VdevKind.Raidz))));
        Assert.Equal(VdevType.Raidz1, LivePools.Layout(Root(Group("raidz1", VdevKind.Raidz))));
        Assert.Null(LivePools.Layout(Root(Group("mirror-0", VdevKind.Mirror), Disk("c"))));
        Assert.Null(LivePools.Layout(Root()));
    }

    [Fact]
    public void Zfs_fuse_zpool_get_keeps_settable_properties_and_treats_ashift_0_as_unknown()
    {
        var rows = ZpoolGetParser.Parse(Fixture.Read("zfs-fuse/zpool-get-all-pool.txt"));
        Assert.True(rows.IsOk, rows.ToString());
        var pool = Assert.Single(LivePools.From(Status("zfs-fuse/zpool-status-gitops-gcap.txt"), rows.Value));
        Assert.Null(pool.Ashift);
        Assert.Equal("on", pool.Properties["autoexpand"]);
        Assert.Equal("wait", pool.Properties["failmode"]);
        // Read-only values move with every write; identity and version are not settable.
        Assert.DoesNotContain("free", pool.Properties.Keys);
        Assert.DoesNotContain("capacity", pool.Properties.Keys);
        Assert.DoesNotContain("guid", pool.Properties.Keys);
        Assert.DoesNotContain("ashift", pool.Properties.Keys);
    }

    [Fact]
    public void OpenZfs_zpool_get_Hp_is_tab_separated_and_keeps_blanks_in_values()
    {
        // Shape of `zpool get -Hp -o name,property,value,source all` (zpool-get(8)): name, property, value, source, tab-separated.
        const string text = "tank\tsize\t3985729650688\t-\ntank\tashift\t12\tlocal\ntank\tcomment\tbig pool\tlocal\ntank\tfeature@async_destroy\tenabled\tlocal\n";
        var rows = ZpoolGetParser.Parse(text);
        Assert.True(rows.IsOk, rows.ToString());
        Assert.Equal(new ZfsPropertyRow("tank", "comment", "big pool", "local"), rows.Value[2]);
        var status = ZpoolStatusParser.Parse(Fixture.Read("zpool/zpool-status-P-raidz2-full-partition-paths.txt")).Value;
        var tank = LivePools.From(status, rows.Value).Single();
        Assert.Equal(12, tank.Ashift);
        Assert.Equal(new Dictionary<string, string> { ["comment"] = "big pool" }, tank.Properties);
    }

    [Fact]
    public void Zpool_get_with_a_short_row_is_an_error_not_a_guess()
    {
        var rows = ZpoolGetParser.Parse("NAME  PROPERTY  VALUE  SOURCE\ngcap  size\n");
        Assert.False(rows.IsOk);
        Assert.Equal(2, rows.Error.Line);
    }
}
