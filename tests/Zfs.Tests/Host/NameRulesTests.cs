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
}
