using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Tests.Host;

public sealed class SmartctlCommandTests
{
    [Fact]
    public async Task The_device_follows_the_end_of_options()
    {
        var runner = new ScriptedRunner(_ => (0, "{}", ""));
        await new SmartctlCommand(runner, new HostTools()).ReadAsync("/dev/disk/by-id/ata-X");
        Assert.Equal(["smartctl --json -a -- /dev/disk/by-id/ata-X"], runner.Calls);
    }

    [Theory]
    [InlineData("-a")]
    [InlineData("/dev/../etc/shadow")]
    [InlineData("/dev/sda\n")]
    [InlineData("sda")]
    public async Task Anything_but_a_device_path_under_dev_never_reaches_smartctl(string device)
    {
        var runner = new ScriptedRunner(_ => (0, "{}", ""));
        await Assert.ThrowsAsync<ArgumentException>(() => new SmartctlCommand(runner, new HostTools()).ReadAsync(device));
        Assert.Empty(runner.Calls);
    }
}
