using DPlaneOS.Actors.Configuration;

namespace DPlaneOS.Actors.Tests.Fleet;

public sealed class FleetOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private FleetOptions Valid()
    {
        var cert = Path.Combine(_dir, "node.p12");
        var ca = Path.Combine(_dir, "ca.pem");
        File.WriteAllText(cert, "");
        File.WriteAllText(ca, "");
        return new FleetOptions { Hostname = "nas1", SeedNodes = ["nas1:4053", "10.0.0.2:4053"], CertificatePath = cert, CaPath = ca };
    }

    [Fact]
    public void No_seed_nodes_is_a_disabled_fleet_and_valid_whatever_else_is_set()
    {
        var options = new FleetOptions { Port = -5, CertificatePath = "/nowhere" };

        Assert.False(options.Enabled);
        options.Validate();
    }

    [Fact]
    public void Defaults_port_4053()
    {
        Assert.Equal(4053, new FleetOptions().Port);
        Assert.Equal(4053, FleetOptions.DefaultPort);
    }

    [Fact]
    public void A_complete_fleet_is_valid_and_parses_its_seeds()
    {
        var options = Valid();
        options.SeedNodes.Add("[fd00::1]:4054");

        options.Validate();

        Assert.True(options.Enabled);
        Assert.Equal([("nas1", 4053), ("10.0.0.2", 4053), ("fd00::1", 4054)], options.ParsedSeedNodes());
    }

    [Theory]
    [InlineData("nas1")]
    [InlineData("nas1:")]
    [InlineData(":4053")]
    [InlineData("nas1:0")]
    [InlineData("nas1:65536")]
    [InlineData("nas1:port")]
    public void A_seed_that_is_not_host_port_is_named(string seed)
    {
        var options = Valid();
        options.SeedNodes.Add(seed);

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains($"DPlaneOS:Fleet:SeedNodes entry '{seed}' is not host:port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_settings_are_each_named_in_one_message()
    {
        var options = new FleetOptions { SeedNodes = ["nas1:4053"], Port = 70000, CaPath = Path.Combine(_dir, "missing.pem") };

        var message = Assert.Throws<InvalidOperationException>(options.Validate).Message;

        Assert.Contains("DPlaneOS:Fleet:Hostname is required", message, StringComparison.Ordinal);
        Assert.Contains("DPlaneOS:Fleet:Port must be between 0 and 65535 (is 70000)", message, StringComparison.Ordinal);
        Assert.Contains("DPlaneOS:Fleet:CertificatePath is required", message, StringComparison.Ordinal);
        Assert.Contains($"DPlaneOS:Fleet:CaPath '{options.CaPath}' does not exist", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoffs_must_be_ordered()
    {
        var options = Valid();
        options.RebuildMinBackoff = TimeSpan.FromSeconds(10);
        options.RebuildMaxBackoff = TimeSpan.FromSeconds(5);

        Assert.Contains("RebuildMinBackoff must be positive", Assert.Throws<InvalidOperationException>(options.Validate).Message, StringComparison.Ordinal);
    }
}
