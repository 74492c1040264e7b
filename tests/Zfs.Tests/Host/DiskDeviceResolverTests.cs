using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Zfs.Tests.Host;

public sealed class DiskDeviceResolverTests
{
    [Theory]
    [InlineData("/dev/disk/by-id/ata-WDC_WD181KRYZ-01_1234-part1", "/dev/disk/by-id/ata-WDC_WD181KRYZ-01_1234")]
    [InlineData("/dev/disk/by-id/nvme-Samsung_970-part4", "/dev/disk/by-id/nvme-Samsung_970")]
    [InlineData("/dev/sda1", "/dev/sda")]
    [InlineData("/dev/sdab12", "/dev/sdab")]
    [InlineData("/dev/nvme0n1p4", "/dev/nvme0n1")]
    [InlineData("/dev/nvme0n1", "/dev/nvme0n1")]
    [InlineData("/dev/sda", "/dev/sda")]
    public void Partitions_map_to_their_whole_disk(string path, string disk) => Assert.Equal(disk, DiskDeviceResolver.WholeDisk(path));

    [Fact]
    public void By_id_names_resolve_through_the_device_tree_and_file_vdevs_are_not_disks()
    {
        var root = Directory.CreateTempSubdirectory("dplaned-dev-").FullName;
        var byId = Directory.CreateDirectory(Path.Combine(root, "disk", "by-id")).FullName;
        File.WriteAllText(Path.Combine(root, "sdb"), "");
        File.CreateSymbolicLink(Path.Combine(byId, "ata-DISK_1-part1"), "../../sdb");
        var outside = Path.Combine(Directory.CreateTempSubdirectory("dplaned-files-").FullName, "d1");
        File.WriteAllText(outside, "");
        File.CreateSymbolicLink(Path.Combine(byId, "ata-LAB_FILE"), outside);
        var resolver = new DiskDeviceResolver(root);

        Assert.Equal($"{root}/disk/by-id/ata-DISK_1", resolver.Resolve("ata-DISK_1-part1").DevicePath);
        Assert.Equal($"{root}/sdb", resolver.Resolve("sdb").DevicePath);
        Assert.Equal("not a block device (file vdev)", resolver.Resolve("ata-LAB_FILE").Reason);
        Assert.Equal("not a block device (file vdev)", resolver.Resolve(outside).Reason);
        Assert.Equal("no such device", resolver.Resolve("ata-GONE").Reason);
        Assert.Equal("no such device", resolver.Resolve("/var/tmp/dplaneos-no-such-dir/d1").Reason);
    }
}
