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
    public void Defaults_bind_loopback_only()
    {
        Assert.Equal("http://127.0.0.1:9000", Program.DefaultUrls);
        Assert.Equal("/var/lib/dplaneos", new DPlaneOS.Actors.Configuration.DPlaneOSOptions().DataDir);
    }
}
