using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests;

public sealed class ZpoolStatusParserTests
{
    private static IReadOnlyList<PoolStatus> Parse(string fixture)
    {
        var result = ZpoolStatusParser.Parse(Fixture.Read("zpool/" + fixture));
        Assert.True(result.IsOk, result.ToString());
        return result.Value;
    }

    private static PoolStatus Single(string fixture) => Assert.Single(Parse(fixture));

    private static string Shape(Vdev v) =>
        v.IsLeaf ? $"{v.Name}:{v.Kind}:{v.State}" : $"{v.Name}:{v.Kind}:{v.State}[{string.Join(",", v.Children.Select(Shape))}]";

    [Fact]
    public void Three_healthy_pools_with_every_vdev_class()
    {
        var pools = Parse("zpool-status-3pools-raidz2-special-dedup-log-cache-spares-healthy.txt");

        Assert.Equal(["backup", "scratch", "tank"], pools.Select(p => p.Name));
        Assert.All(pools, p => Assert.Equal("ONLINE", p.State));
        Assert.All(pools, p => Assert.Equal("No known data errors", p.Errors));
        Assert.All(pools, p => Assert.Equal(0L, p.DataErrorCount));
        Assert.All(pools, p => Assert.Same(ScanInfo.Absent, p.Scan));

        Assert.Equal("backup:Pool:ONLINE[mirror-0:Mirror:ONLINE[sdp:Disk:ONLINE,sdq:Disk:ONLINE]]", Shape(pools[0].Root));
        Assert.Equal("scratch:Pool:ONLINE[sdr:Disk:ONLINE]", Shape(pools[1].Root));

        var tank = pools[2];
        Assert.Null(tank.Status);
        Assert.Null(tank.Action);
        Assert.Null(tank.See);
        Assert.Empty(tank.ScanLines);
        Assert.Equal("tank:Pool:ONLINE[raidz2-0:Raidz:ONLINE[sda:Disk:ONLINE,sdb:Disk:ONLINE,sdc:Disk:ONLINE,sdd:Disk:ONLINE,sde:Disk:ONLINE,sdf:Disk:ONLINE]]",
            Shape(tank.Root));
        Assert.Equal("mirror-2:Mirror:ONLINE[sdi:Disk:ONLINE,sdj:Disk:ONLINE]", Shape(Assert.Single(tank.Dedup)));
        Assert.Equal("mirror-1:Mirror:ONLINE[sdg:Disk:ONLINE,sdh:Disk:ONLINE]", Shape(Assert.Single(tank.Special)));
        Assert.Equal("mirror-3:Mirror:ONLINE[sdk:Disk:ONLINE,sdl:Disk:ONLINE]", Shape(Assert.Single(tank.Logs)));
        Assert.Equal("sdm:Disk:ONLINE", Shape(Assert.Single(tank.Caches)));
        Assert.Equal(["sdn:Disk:AVAIL", "sdo:Disk:AVAIL"], tank.Spares.Select(Shape));
        Assert.All(tank.Spares, s => Assert.Null(s.Note));

        Assert.Equal(VdevClass.Dedup, tank.Dedup[0].Children[0].Class);
        Assert.Equal(VdevClass.Special, tank.Special[0].Class);
        Assert.Equal(VdevClass.Log, tank.Logs[0].Children[1].Class);
        Assert.Equal(VdevClass.Cache, tank.Caches[0].Class);
        Assert.Equal(VdevClass.Spare, tank.Spares[1].Class);
        Assert.Equal(VdevClass.Data, tank.Root.Children[0].Children[5].Class);

        Assert.Equal(["sda", "sdb", "sdc", "sdd", "sde", "sdf", "sdi", "sdj", "sdg", "sdh", "sdk", "sdl", "sdm", "sdn", "sdo"],
            tank.AllLeaves().Select(v => v.Name));
        Assert.All(tank.AllLeaves(), v => Assert.Equal((0L, 0L, 0L), (v.ReadErrors, v.WriteErrors, v.ChecksumErrors)));
    }

    [Fact]
    public void Four_pools_suspended_degraded_and_checksum_errors_mixed()
    {
        var pools = Parse("zpool-status-4pools-suspended-degraded-cksum-mixed.txt");
        Assert.Equal([("backup", "DEGRADED"), ("scratch", "ONLINE"), ("stripe", "SUSPENDED"), ("tank", "DEGRADED")],
            pools.Select(p => (p.Name, p.State)));

        var backup = pools[0];
        Assert.Equal("One or more devices are faulted in response to persistent errors. Sufficient replicas exist for the pool to continue functioning in a degraded state.",
            backup.Status);
        Assert.Equal("Replace the faulted device, or use 'zpool clear' to mark the device repaired.", backup.Action);
        Assert.Null(backup.See);
        Assert.Equal(new ScanInfo(ScanKind.Scrub, ScanState.Finished, null,
            "scrub repaired 0B in 00:00:20 with 0 errors on Sun Nov 29 08:02:23 2026"), backup.Scan);
        var sdq = backup.Root.Children[0].Children[1];
        Assert.Equal(("sdq", "FAULTED", 65L, 203L, 0L, "too many errors"), (sdq.Name, sdq.State, sdq.ReadErrors, sdq.WriteErrors, sdq.ChecksumErrors, sdq.Note));

        var scratch = pools[1];
        Assert.Equal("https://openzfs.github.io/openzfs-docs/msg/ZFS-8000-9P", scratch.See);
        Assert.Equal(16L, scratch.Root.Children[0].ChecksumErrors);

        var stripe = pools[2];
        Assert.Equal("https://openzfs.github.io/openzfs-docs/msg/ZFS-8000-HC", stripe.See);
        Assert.Equal("Make sure the affected devices are connected, then run 'zpool clear'.", stripe.Action);
        Assert.Same(ScanInfo.Absent, stripe.Scan);
        Assert.Equal("stripe:Pool:ONLINE[sds:Disk:ONLINE,sdt:Disk:ONLINE]", Shape(stripe.Root));
        Assert.Equal(3L, stripe.Root.Children[1].ReadErrors);

        var tank = pools[3];
        Assert.Equal(new ScanInfo(ScanKind.Resilver, ScanState.Finished, null,
            "resilvered 22.5M in 00:00:22 with 0 errors on Sun Nov 29 08:03:35 2026"), tank.Scan);
        var spare = tank.Root.Children[0].Children[2];
        Assert.Equal("spare-2:Spare:DEGRADED[sdc:Disk:FAULTED,sdn:Disk:ONLINE]", Shape(spare));
        Assert.Equal("external device fault", spare.Children[0].Note);
        Assert.Equal([("sdn", "INUSE", "currently in use"), ("sdo", "AVAIL", null)], tank.Spares.Select(s => (s.Name, s.State, s.Note)));
    }

    [Fact]
    public void Resilver_in_progress_with_replacing_vdev()
    {
        var tank = Single("zpool-status-raidz2-resilver-in-progress-replacing-offline.txt");
        Assert.Equal("DEGRADED", tank.State);
        Assert.Equal("One or more devices is currently being resilvered. The pool will continue to function, possibly in a degraded state.", tank.Status);
        Assert.Equal("Wait for the resilver to complete.", tank.Action);
        Assert.Equal(new ScanInfo(ScanKind.Resilver, ScanState.InProgress, 60.47,
            "resilver in progress since Sun Nov 29 08:07:29 2026\n481M / 481M scanned, 290M / 480M issued at 58.0M/s\n32.4M resilvered, 60.47% done, 00:00:03 to go"),
            tank.Scan);
        var replacing = tank.Root.Children[0].Children[1];
        Assert.Equal("replacing-1:Replacing:DEGRADED[sdb:Disk:OFFLINE,sdt:Disk:ONLINE]", Shape(replacing));
        Assert.Null(replacing.Children[0].Note);
        Assert.Equal("(resilvering)", replacing.Children[1].Note);
        Assert.Equal(["sda", "sdb", "sdt", "sdc", "sdd", "sde", "sdf"], tank.Root.Leaves().Select(v => v.Name));
        Assert.Equal(["sdu"], tank.Logs[0].Children.Skip(1).Select(v => v.Name));
        Assert.Empty(tank.Dedup);
    }

    [Fact]
    public void Scrub_in_progress_with_eta()
    {
        var tank = Single("zpool-status-raidz2-scrub-in-progress-eta.txt");
        Assert.Equal((ScanKind.Scrub, ScanState.InProgress, (double?)81.07), (tank.Scan.Kind, tank.Scan.State, tank.Scan.PercentDone));
        Assert.EndsWith("0B repaired, 81.07% done, 00:00:00 to go", tank.Scan.Text);
        Assert.Single(tank.ScanLines);
    }

    [Fact]
    public void Scrub_in_progress_on_real_hardware_without_eta_and_with_full_paths()
    {
        var neptune = Single("zpool-status-hw-mirror-scrub-in-progress-no-eta.txt");
        Assert.Equal((ScanKind.Scrub, ScanState.InProgress, (double?)0.0), (neptune.Scan.Kind, neptune.Scan.State, neptune.Scan.PercentDone));

        var root = Single("zpool-status-P-hw-nvme-mirror-scrub-in-progress-eta.txt");
        Assert.Equal(4.96, root.Scan.PercentDone);
        Assert.Equal(["/dev/disk/by-id/nvme-Force_MP510_1850820700012771028C-part4", "/dev/disk/by-id/nvme-Force_MP510_18508207000127710062-part4"],
            root.AllLeaves().Select(v => v.Name));
        Assert.All(root.AllLeaves(), v => Assert.Equal(VdevKind.Disk, v.Kind));
        Assert.Equal("Enable all features using 'zpool upgrade'. Once this is done, the pool may no longer be accessible by software that does not support the features. See zpool-features(7) for details.",
            root.Action);
    }

    [Fact]
    public void Scrub_paused()
    {
        var tank = Single("zpool-status-raidz2-scrub-paused.txt");
        Assert.Equal(new ScanInfo(ScanKind.Scrub, ScanState.Paused, 95.51,
            "scrub paused since Sun Nov 29 08:07:22 2026\nscrub started on Sun Nov 29 08:07:17 2026\n451M / 451M scanned, 430M / 451M issued\n0B repaired, 95.51% done"),
            tank.Scan);
    }

    [Fact]
    public void Hot_spares_in_use_for_faulted_and_removed_disks()
    {
        var one = Single("zpool-status-raidz2-degraded-offline-faulted-spare-inuse.txt");
        Assert.Equal("raidz2-0:Raidz:DEGRADED[sda:Disk:ONLINE,sdb:Disk:OFFLINE,spare-2:Spare:DEGRADED[sdc:Disk:FAULTED,sdn:Disk:ONLINE],sdd:Disk:ONLINE,sde:Disk:ONLINE,sdf:Disk:ONLINE]",
            Shape(one.Root.Children[0]));

        var two = Single("zpool-status-raidz2-degraded-faulted-removed-two-spares-inuse.txt");
        Assert.Equal("spare-3:Spare:DEGRADED[sdd:Disk:REMOVED,sdo:Disk:ONLINE]", Shape(two.Root.Children[0].Children[3]));
        Assert.Equal([("sdn", "INUSE", "currently in use"), ("sdo", "INUSE", "currently in use")], two.Spares.Select(s => (s.Name, s.State, s.Note)));
    }

    [Fact]
    public void Faulted_with_too_many_errors()
    {
        var backup = Single("zpool-status-mirror-degraded-faulted-too-many-errors.txt");
        Assert.Equal("backup:Pool:DEGRADED[mirror-0:Mirror:DEGRADED[sdp:Disk:ONLINE,sdq:Disk:FAULTED]]", Shape(backup.Root));
        var sdq = backup.Root.Leaves().Last();
        Assert.Equal((65L, 203L, 0L, "too many errors", false), (sdq.ReadErrors, sdq.WriteErrors, sdq.ChecksumErrors, sdq.Note, sdq.CountsApproximate));
    }

    /// <summary>
    /// The same scrubbed pool without and with -p: 8219 prints as "8.03K", which is 1024-based
    /// (8219/1024 = 8.026; 1000-based would be "8.22K"). Reading it back gives 8223, flagged approximate.
    /// </summary>
    [Fact]
    public void Suffixed_checksum_count_is_1024_based_and_approximate_while_p_is_exact()
    {
        var suffixed = Single("zpool-status-mirror-cksum-errors-suffixed-8.03K-repaired.txt").Root.Leaves().First();
        var exact = Single("zpool-status-p-mirror-cksum-errors-exact-8219.txt").Root.Leaves().First();

        Assert.Equal(("sdp", 8223L, true), (suffixed.Name, suffixed.ChecksumErrors, suffixed.CountsApproximate));
        Assert.Equal(("sdp", 8219L, false), (exact.Name, exact.ChecksumErrors, exact.CountsApproximate));
        Assert.Equal("8.03K", ByteSize.Format(8219));
        Assert.True(Math.Abs(suffixed.ChecksumErrors - exact.ChecksumErrors) <= 0.005 * 1024);
    }

    [Fact]
    public void Data_errors_count_and_permanent_error_file_list()
    {
        var counted = Single("zpool-status-data-errors-use-v-for-list.txt");
        Assert.Equal(("3 data errors, use '-v' for a list", (long?)3), (counted.Errors, counted.DataErrorCount));
        Assert.Equal("https://openzfs.github.io/openzfs-docs/msg/ZFS-8000-8A", counted.See);
        Assert.Equal("One or more devices has experienced an error resulting in data corruption. Applications may be affected.", counted.Status);

        var listed = Single("zpool-status-v-permanent-errors-file-list.txt");
        Assert.Equal("Permanent errors have been detected in the following files:\n/scratch/docs/report.pdf\n/scratch/docs/photo.jpg\n/scratch/docs/notes.odt",
            listed.Errors);
        Assert.Equal(3L, listed.DataErrorCount);

        var nonRoot = Single("zpool-status-hw-online-data-errors-list-unavailable-nonroot.txt");
        Assert.Equal("List of errors unavailable: permission denied\n1 data errors, use '-v' for a list", nonRoot.Errors);
        Assert.Equal(1L, nonRoot.DataErrorCount);
        Assert.Equal("http://zfsonlinux.org/msg/ZFS-8000-8A", nonRoot.See);
        Assert.Equal(new ScanInfo(ScanKind.Scrub, ScanState.Finished, null, "scrub repaired 0B in 14h7m with 1 errors on Sun Feb  4 20:54:25 2024"), nonRoot.Scan);
        Assert.Equal(2, nonRoot.Root.Leaves().Count());
    }

    [Fact]
    public void Suspended_stripe_has_no_scan_line()
    {
        var stripe = Single("zpool-status-v-stripe-suspended.txt");
        Assert.Equal(("stripe", "SUSPENDED", ScanKind.None, 0), (stripe.Name, stripe.State, stripe.Scan.Kind, stripe.ScanLines.Count));
    }

    [Fact]
    public void Unavail_disk_shown_as_guid_with_was_path_and_exact_count()
    {
        var pool = Single("zpool-status-hw-mirror-degraded-unavail-was-path-cksum-100980.txt");
        Assert.Equal("Replace the device using 'zpool replace'.", pool.Action);
        var gone = pool.Root.Children[0].Children[0];
        Assert.Equal(("12345678901234567890", VdevKind.Disk, "UNAVAIL", 100980L, "was /dev/disk/by-id/ata-ST8000DM004-xxxxxx_redacted-part1"),
            (gone.Name, gone.Kind, gone.State, gone.ChecksumErrors, gone.Note));
        Assert.Equal(3, pool.Root.Children[0].Children.Count);
    }

    [Fact]
    public void Removed_disk_and_two_pools_with_feature_notice()
    {
        var dummy = Single("zpool-status-hw-mirror-degraded-removed.txt");
        Assert.Equal("dummy:Pool:DEGRADED[mirror-0:Mirror:DEGRADED[drive0-part1:Disk:REMOVED,drive1-part1:Disk:ONLINE]]", Shape(dummy.Root));
        Assert.Equal("Online the device using zpool online' or replace the device with 'zpool replace'.", dummy.Action);

        var pools = Parse("zpool-status-hw-two-pools-features-upgrade-available.txt");
        Assert.Equal(["rpool", "wilbur"], pools.Select(p => p.Name));
        Assert.All(pools, p => Assert.Equal("Some supported and requested features are not enabled on the pool. The pool can still be used, but some features are unavailable.", p.Status));
    }

    [Fact]
    public void Draid_rebuild_in_progress_and_two_scan_lines_after()
    {
        var rebuilding = Single("zpool-status-draid-sequential-rebuild-in-progress-spare-inuse.txt");
        Assert.Equal((ScanKind.Resilver, ScanState.InProgress, (double?)100.0), (rebuilding.Scan.Kind, rebuilding.Scan.State, rebuilding.Scan.PercentDone));
        var draid = rebuilding.Root.Children[0];
        Assert.Equal("draid1:2d:4c:1s-0:Draid:DEGRADED[sdo:Disk:ONLINE,sdp:Disk:ONLINE,spare-2:Spare:DEGRADED[sdq:Disk:FAULTED,draid1-0-0:DistributedSpare:ONLINE],sdr:Disk:ONLINE]",
            Shape(draid));
        Assert.Equal(4, draid.Leaves().Count(v => v.Note == "(resilvering)"));
        var spare = Assert.Single(rebuilding.Spares);
        Assert.Equal(("draid1-0-0", VdevKind.DistributedSpare, "INUSE", "currently in use"), (spare.Name, spare.Kind, spare.State, spare.Note));

        var rebuilt = Single("zpool-status-draid-rebuilt-two-scan-lines-faulted.txt");
        Assert.Equal(
            [
                new ScanInfo(ScanKind.Scrub, ScanState.Finished, null, "scrub repaired 0B in 00:00:02 with 0 errors on Sun Nov 29 08:08:06 2026"),
                new ScanInfo(ScanKind.Resilver, ScanState.Finished, null, "resilvered (draid1:2d:4c:1s-0) 48.3M in 00:00:12 with 0 errors on Sun Nov 29 08:08:04 2026"),
            ],
            rebuilt.ScanLines);
        Assert.Equal(rebuilt.ScanLines[0], rebuilt.Scan);
    }

    [Fact]
    public void Full_partition_paths_are_disks()
    {
        var tank = Single("zpool-status-P-raidz2-full-partition-paths.txt");
        Assert.Equal(15, tank.AllLeaves().Count());
        Assert.All(tank.AllLeaves(), v => Assert.Equal(VdevKind.Disk, v.Kind));
        Assert.Equal("/dev/sdm1", tank.Caches[0].Name);
    }

    [Fact]
    public void Nothing_to_show_gives_an_empty_list()
    {
        Assert.Empty(Parse("zpool-status-x-all-pools-healthy.txt"));
        var none = ZpoolStatusParser.Parse("no pools available\n");
        Assert.True(none.IsOk);
        Assert.Empty(none.Value);
    }

    [Fact]
    public void Zfs_fuse_file_vdevs_and_scrub_lines()
    {
        var healthy = Single("zfsfuse-zpool-status-mirror-file-vdevs.txt");
        Assert.Equal("hzpcap24791:Pool:ONLINE[mirror-0:Mirror:ONLINE[/tmp/zpcap-h/d1:Disk:ONLINE,/tmp/zpcap-h/d2:Disk:ONLINE]]", Shape(healthy.Root));
        Assert.Equal(new ScanInfo(ScanKind.None, ScanState.None, null, "none requested"), healthy.Scan);

        var offline = Single("zfsfuse-zpool-status-mirror-degraded-offline.txt");
        Assert.Equal(("DEGRADED", "OFFLINE"), (offline.State, offline.Root.Leaves().Last().State));
        Assert.Equal("Online the device using 'zpool online' or replace the device with 'zpool replace'.", offline.Action);

        var scrubbed = Single("zfsfuse-zpool-status-scrub-completed.txt");
        Assert.Equal(new ScanInfo(ScanKind.Scrub, ScanState.Finished, null, "scrub completed after 0h0m with 0 errors on Sun Nov 29 08:35:04 2026"), scrubbed.Scan);
    }
}
