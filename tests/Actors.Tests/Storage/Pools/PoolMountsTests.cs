using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Actors.Tests.Storage.Pools;

public sealed class PoolMountsTests
{
    private static IReadOnlyList<ZfsDatasetProperties> Parse(string text) => ZfsDatasetProperties.Group(ZfsGetParser.Parse(text).Value);

    // As zfs-fuse prints `zfs get -Hp -o name,property,value,source type,mounted,mountpoint -r tank`.
    private const string Nested = """
        tank	type	filesystem	-
        tank	mounted	yes	-
        tank	mountpoint	/tank	default
        tank/apps	type	filesystem	-
        tank/apps	mounted	yes	-
        tank/apps	mountpoint	/srv/apps	local
        tank/off	type	filesystem	-
        tank/off	mounted	no	-
        tank/off	mountpoint	/tank/off	default
        tank/vol	type	volume	-
        tank/vol	mounted	-	-
        tank/vol	mountpoint	-	-
        tank@snap	type	snapshot	-
        tank@snap	mounted	-	-
        tank@snap	mountpoint	-	-
        tankette	type	filesystem	-
        tankette	mounted	yes	-
        tankette	mountpoint	/tankette	default

        """;

    [Fact]
    public void The_root_is_probed_and_every_mounted_filesystem_of_the_pool_is_listed()
    {
        var mounts = PoolMounts.From("tank", Parse(Nested));
        Assert.Equal("/tank", mounts.ProbeDirectory);
        Assert.Null(mounts.NotProbeableReason);
        Assert.Equal(["/tank", "/srv/apps"], mounts.Mountpoints);
    }

    [Theory]
    [InlineData("no", "/tank", "not mounted (mountpoint /tank)")]
    [InlineData("no", "none", "mountpoint is none")]
    [InlineData("yes", "legacy", "mountpoint is legacy")]
    public void A_root_without_a_usable_mount_is_not_probeable(string mounted, string mountpoint, string reason)
    {
        var mounts = PoolMounts.From("tank", Parse($"tank\ttype\tfilesystem\t-\ntank\tmounted\t{mounted}\t-\ntank\tmountpoint\t{mountpoint}\tlocal\n"));
        Assert.Null(mounts.ProbeDirectory);
        Assert.Equal(reason, mounts.NotProbeableReason);
    }

    [Fact]
    public void A_failed_lookup_keeps_the_last_known_mounts_so_the_write_probe_decides()
    {
        var last = PoolMounts.From("tank", Parse(Nested));
        var failed = HostResult<IReadOnlyList<ZfsDatasetProperties>>.Fail(
            new CommandError(CommandErrorKind.Failed, "zfs get", "cannot open 'tank': pool I/O is currently suspended", 1));
        Assert.Same(last, PoolMounts.FromLookup("tank", failed, last));

        var never = PoolMounts.FromLookup("tank", failed, null);
        Assert.Null(never.ProbeDirectory);
        Assert.Contains("pool I/O is currently suspended", never.NotProbeableReason);
    }
}
