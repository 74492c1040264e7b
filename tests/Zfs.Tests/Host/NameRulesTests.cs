namespace DPlaneOS.Zfs.Tests.Host;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("tank", null)]
    [InlineData("tank-2.a:b", null)]
    [InlineData("", "a pool name is required")]
    [InlineData("-f", "a pool name starts with a letter and contains only letters, digits, '_', '-', '.' and ':'")]
    [InlineData("mirror", "'mirror' is reserved by ZFS")]
    [InlineData("raidz9", "'raidz9' is reserved by ZFS")]
    [InlineData("c0t0d0", "a pool name may not look like a disk (c0 …)")]
    [InlineData("tank;reboot", "a pool name starts with a letter and contains only letters, digits, '_', '-', '.' and ':'")]
    public void Pool_names(string name, string? error) => Assert.Equal(error, NameRules.PoolNameError(name));

    [Theory]
    [InlineData("tank/media/photos 2024", null)]
    [InlineData("tank//a", "a dataset name may not contain '//'")]
    [InlineData("tank/a/", "a dataset name may not end with '/'")]
    [InlineData("tank/../etc", "a dataset name may not contain '.' or '..' components")]
    [InlineData("tank/$(reboot)", "'$(reboot)' may contain only letters, digits, '_', '-', '.', ':' and ' '")]
    public void Dataset_names(string name, string? error) => Assert.Equal(error, NameRules.DatasetNameError(name));

    [Theory]
    [InlineData("pre-upgrade-20260102T030405Z", null)]
    [InlineData("", "a snapshot name is required")]
    [InlineData("-r", "a snapshot name starts with a letter or digit and contains only letters, digits, '_', '-', '.' and ':'")]
    [InlineData("a@b", "a snapshot name starts with a letter or digit and contains only letters, digits, '_', '-', '.' and ':'")]
    [InlineData("a/b", "a snapshot name starts with a letter or digit and contains only letters, digits, '_', '-', '.' and ':'")]
    public void Snapshot_names(string name, string? error) => Assert.Equal(error, NameRules.SnapshotNameError(name));

    [Fact]
    public async Task Snapshot_changes_run_as_argument_arrays_and_refuse_bad_names()
    {
        var runner = new ScriptedRunner(_ => (0, "", ""));
        var zfs = new DPlaneOS.Zfs.Host.ZfsCommand(runner, new DPlaneOS.Zfs.Host.HostTools());
        Assert.Null(await zfs.SnapshotAsync("tank/a", "s1", recursive: true));
        Assert.Null(await zfs.DestroySnapshotAsync("tank", "s1", recursive: false));
        await Assert.ThrowsAsync<ArgumentException>(() => zfs.DestroySnapshotAsync("tank", "", recursive: true));
        await Assert.ThrowsAsync<ArgumentException>(() => zfs.SnapshotAsync("-f", "s1", recursive: true));
        Assert.Equal(["zfs snapshot -r -- tank/a@s1", "zfs destroy -- tank@s1"], runner.Calls);
    }
}
