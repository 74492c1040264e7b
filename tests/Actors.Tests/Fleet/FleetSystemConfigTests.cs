using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Fleet;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Fleet;

public sealed class FleetSystemConfigTests
{
    private static readonly FleetOptions Options = new()
    {
        Hostname = "nas1.example",
        SeedNodes = ["nas1.example:4053", "10.0.0.2:4054", "[fd00::3]:4053"],
        JoinTimeout = TimeSpan.FromSeconds(45),
    };

    [Fact]
    public void Remoting_is_TLS_with_mutual_authentication_and_no_validation_suppressed()
    {
        var config = FleetSystemConfig.Hocon(Options, NodeIdentity.Named("nas1"));

        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication"));
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.suppress-validation"));
        Assert.Equal("nas1.example", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
    }

    [Fact]
    public void Seeds_are_TLS_addresses_of_the_fleet_system()
    {
        var config = FleetSystemConfig.Hocon(Options, NodeIdentity.Named("nas1"));

        Assert.Equal(
            ["akka.ssl.tcp://dplaneos-fleet@nas1.example:4053", "akka.ssl.tcp://dplaneos-fleet@10.0.0.2:4054", "akka.ssl.tcp://dplaneos-fleet@[fd00::3]:4053"],
            config.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void A_fleet_system_ends_itself_when_it_cannot_join_or_is_downed_and_never_ends_the_process()
    {
        var config = FleetSystemConfig.Hocon(Options, NodeIdentity.Named("nas1"));

        Assert.Equal(TimeSpan.FromSeconds(45), config.GetTimeSpan("akka.cluster.shutdown-after-unsuccessful-join-seed-nodes"));
        Assert.True(config.GetBoolean("akka.cluster.run-coordinated-shutdown-when-down"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.exit-clr"));
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        Assert.Equal(["node:nas1"], config.GetStringList("akka.cluster.roles"));
    }
}
