namespace DPlaneOS.Gateway.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Parses_every_option_in_both_forms()
    {
        var parsed = CommandLine.Parse(["--urls", "http://127.0.0.1:9100", "--data-dir=/tmp/d", "--config", "/etc/dplaned.json"], out var error);
        Assert.Null(error);
        Assert.Equal("http://127.0.0.1:9100", parsed.Urls);
        Assert.Equal("/tmp/d", parsed.DataDir);
        Assert.Equal("/etc/dplaned.json", parsed.ConfigFile);
    }

    [Theory]
    [InlineData("--port", "unknown option '--port'")]
    [InlineData("--urls", "--urls needs a value")]
    [InlineData("serve", "unknown command 'serve'")]
    public void Rejects_what_it_does_not_know(string arg, string expected)
    {
        CommandLine.Parse([arg], out var error);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void The_pre_upgrade_snapshot_verb_takes_the_settings_options()
    {
        var parsed = CommandLine.Parse(["snapshot", "pre-upgrade", "--config", "/etc/dplaned.json", "--data-dir=/tmp/d"], out var error);
        Assert.Null(error);
        Assert.True(parsed.IsVerb("snapshot", "pre-upgrade"));
        Assert.Equal("/etc/dplaned.json", parsed.ConfigFile);
        Assert.Equal("/tmp/d", parsed.DataDir);
    }

    [Theory]
    [InlineData(new[] { "snapshot" }, "unknown command 'snapshot'")]
    [InlineData(new[] { "snapshot", "pre-upgrade", "now" }, "unknown command 'snapshot pre-upgrade now'")]
    [InlineData(new[] { "snapshot", "pre-upgrade", "--urls", "http://127.0.0.1:1" }, "--urls does not apply to 'snapshot pre-upgrade'")]
    [InlineData(new[] { "snapshot", "pre-upgrade", "--keep", "3" }, "unknown option '--keep'")]
    public void The_verb_is_parsed_strictly(string[] args, string expected)
    {
        CommandLine.Parse(args, out var error);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void The_fleet_verbs_take_every_argument_after_the_verb_as_their_own()
    {
        var parsed = CommandLine.Parse(["fleet", "cert", "create", "--ca", "/ca", "--node", "nas1", "--out=/n.p12", "--host", "h"], out var error);
        Assert.Null(error);
        Assert.True(parsed.IsVerb("fleet", "cert", "create"));
        Assert.Equal(["--ca", "/ca", "--node", "nas1", "--out=/n.p12", "--host", "h"], parsed.VerbArguments);
        Assert.Empty(CommandLine.Parse(["snapshot", "pre-upgrade"], out _).VerbArguments);
    }

    [Theory]
    [InlineData(new[] { "fleet" }, "unknown command 'fleet'")]
    [InlineData(new[] { "fleet", "ca" }, "unknown command 'fleet ca'")]
    [InlineData(new[] { "fleet", "--out", "d", "ca", "create" }, "unknown option '--out'")]
    [InlineData(new[] { "--config", "/etc/dplaned.json", "fleet", "ca", "create", "--out", "d" }, "--config does not apply to 'fleet ca create'")]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1", "fleet", "cert", "create" }, "--urls does not apply to 'fleet cert create'")]
    public void The_fleet_verbs_are_parsed_strictly(string[] args, string expected)
    {
        CommandLine.Parse(args, out var error);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(0, null, "DPlaneOS:Snapshots:PreUpgradeKeep must be at least 1 (the new snapshot), not 0")]
    [InlineData(5, "-f", "DPlaneOS:Snapshots:PreUpgradePools: '-f' is not a pool name: a pool name starts with a letter and contains only letters, digits, '_', '-', '.' and ':'")]
    [InlineData(5, "tank", null)]
    public void Snapshot_settings_are_checked_before_anything_runs(int keep, string? pool, string? expected)
    {
        var options = new DPlaneOS.Actors.Configuration.SnapshotOptions { PreUpgradeKeep = keep };
        if (pool is not null) options.PreUpgradePools.Add(pool);
        Assert.Equal(expected, DPlaneOS.Gateway.Cli.PreUpgradeSnapshotVerb.SettingsError(options));
    }

    [Fact]
    public void Defaults_bind_loopback_only()
    {
        Assert.Equal("http://127.0.0.1:9000", Program.DefaultUrls);
        Assert.Equal("/var/lib/dplaneos", new DPlaneOS.Actors.Configuration.DPlaneOSOptions().DataDir);
    }
}
