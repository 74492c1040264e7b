using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Tests.Host;

public sealed class ZfsCommandTests
{
    private static (ZfsCommand Zfs, ScriptedRunner Runner) With(Func<string, (int, string, string)> answer)
    {
        var runner = new ScriptedRunner(answer);
        return (new ZfsCommand(runner, new HostTools()), runner);
    }

    [Fact]
    public async Task Create_and_set_run_argument_arrays_with_validated_names_and_values()
    {
        var (zfs, runner) = With(_ => (0, "", ""));
        Assert.Null(await zfs.CreateAsync("tank/dplane-reserved", new Dictionary<string, string> { ["canmount"] = "off", ["refreservation"] = "1908408" }));
        Assert.Null(await zfs.SetAsync("tank/dplane-reserved", "refreservation", "none"));
        // '--' ends the options before the name (zfs create accepts it on zfs-fuse and OpenZFS); zfs set has no
        // option parser on zfs-fuse, which would take '--' for a dataset, so there the validated name must do.
        Assert.Equal(["zfs create -o canmount=off -o refreservation=1908408 -- tank/dplane-reserved", "zfs set refreservation=none tank/dplane-reserved"], runner.Calls);
    }

    [Theory]
    [InlineData("-r", "refreservation", "1")]
    [InlineData("tank/../etc", "refreservation", "1")]
    [InlineData("tank/x", "REFRESERVATION", "1")]
    [InlineData("tank/x", "refreservation", "")]
    [InlineData("tank/x", "refreservation", "1\n-r")]
    public async Task Bad_names_properties_and_values_never_reach_zfs(string dataset, string property, string value)
    {
        var (zfs, runner) = With(_ => (0, "", ""));
        await Assert.ThrowsAsync<ArgumentException>(() => zfs.SetAsync(dataset, property, value));
        await Assert.ThrowsAsync<ArgumentException>(() => zfs.CreateAsync(dataset, new Dictionary<string, string> { [property] = value }));
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task A_recursive_get_puts_the_root_after_the_end_of_options()
    {
        var (zfs, runner) = With(_ => (0, "", ""));
        await zfs.GetAsync(["mountpoint"], "tank");
        await zfs.GetAsync(["mountpoint"]);
        Assert.Equal(["zfs get -Hp -o name,property,value,source mountpoint -r -- tank", "zfs get -Hp -o name,property,value,source mountpoint"], runner.Calls);
    }

    [Fact]
    public async Task A_refused_change_is_a_typed_error_with_zfs_own_words()
    {
        var (zfs, _) = With(_ => (1, "", Fixture.Read("zfs-fuse/zfs-set-refreservation-out-of-space.stderr.txt")));
        var error = await zfs.SetAsync("capfx/dplane-reserved", "refreservation", "999999999999");
        Assert.Equal((CommandErrorKind.Failed, 1), (error!.Kind, error.ExitCode));
        Assert.Contains("size is greater than available space", error.Message);
    }

    [Fact]
    public async Task Getting_one_dataset_reads_it_or_says_it_does_not_exist_or_fails()
    {
        var (zfs, runner) = With(line => line switch
        {
            "zfs get -Hp -o name,property,value,source refreservation -- capfx/dplane-reserved" =>
                (0, Fixture.Read("zfs-fuse/zfs-get-Hp-refreservation-reserved.txt"), ""),
            "zfs get -Hp -o name,property,value,source refreservation -- capfx/gone" =>
                (1, "", Fixture.Read("zfs-fuse/zfs-get-Hp-refreservation-missing.stderr.txt").Replace("dplane-reserved", "gone")),
            _ => (1, "", "cannot open 'x': permission denied\n"),
        });
        var found = await zfs.GetDatasetAsync("capfx/dplane-reserved", ["refreservation"]);
        Assert.Equal(1908408, found.Value!.Bytes("refreservation"));
        var gone = await zfs.GetDatasetAsync("capfx/gone", ["refreservation"]);
        Assert.True(gone.IsOk);
        Assert.Null(gone.Value);
        var denied = await zfs.GetDatasetAsync("capfx/other", ["refreservation"]);
        Assert.Contains("permission denied", denied.Error!.Message);
        Assert.Equal(3, runner.Calls.Count);
    }

    [Fact]
    public async Task Output_without_the_dataset_is_unparseable_not_absent()
    {
        var (zfs, _) = With(_ => (0, "capfx/else\trefreservation\t0\tlocal\n", ""));
        var result = await zfs.GetDatasetAsync("capfx/dplane-reserved", ["refreservation"]);
        Assert.Equal(CommandErrorKind.Unparseable, result.Error!.Kind);
    }
}
