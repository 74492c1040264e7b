using System.Globalization;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using DPlaneOS.Actors.Fleet.Wire;

namespace DPlaneOS.Actors.Fleet;

/// <summary>
/// The configuration of one fleet actor system: cluster provider over Akka.Remote's DotNetty TCP transport
/// with TLS, mutual authentication required and the fleet CA as the only trust (<see cref="FleetPeerValidator"/>);
/// keep-majority split-brain resolver; Akka shuts the system down when it cannot join within
/// <see cref="FleetOptions.JoinTimeout"/>, and when it is downed or removed, so <see cref="FleetPlane"/> only
/// has to wait for it to terminate and build the next one.
/// </summary>
public static class FleetSystemConfig
{
    /// <summary>The fleet actor system's name; every node's must be the same to form one cluster.</summary>
    public const string SystemName = "dplaneos-fleet";

    /// <summary>The address scheme of Akka.Remote's DotNetty TCP transport with TLS on.</summary>
    public const string Protocol = "akka.ssl.tcp";

    /// <summary>The cluster role that carries a node's <see cref="NodeIdentity.Name"/>.</summary>
    public static string NodeRole(NodeIdentity node) => "node:" + node.Name;

    /// <summary>The actor address of a fleet node at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static Address AddressOf(string host, int port) =>
        new(Protocol, SystemName, host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, port);

    /// <summary>The HOCON of one fleet actor system (TLS certificates come as a setup, not as paths here).</summary>
    public static Config Hocon(FleetOptions options, NodeIdentity node)
    {
        var seeds = string.Join(", ", options.ParsedSeedNodes().Select(s => Quote(AddressOf(s.Host, s.Port).ToString())));
        var joinTimeout = Duration(options.JoinTimeout);
        return ConfigurationFactory.ParseString(FleetWireSerializer.Hocon).WithFallback(ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = INFO
              loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              coordinated-shutdown {
                # The daemon stops the fleet plane itself; a fleet shutdown never ends the process.
                run-by-clr-shutdown-hook = off
                exit-clr = off
                terminate-actor-system = on
              }
              remote.dot-netty.tcp {
                hostname = {{Quote(options.Hostname!)}}
                public-hostname = {{Quote(options.Hostname!)}}
                port = {{options.Port.ToString(CultureInfo.InvariantCulture)}}
                enable-ssl = true
                ssl {
                  require-mutual-authentication = true
                  validate-certificate-hostname = false
                  suppress-validation = false
                }
              }
              cluster {
                seed-nodes = [{{seeds}}]
                roles = [{{Quote(NodeRole(node))}}]
                shutdown-after-unsuccessful-join-seed-nodes = {{joinTimeout}}
                run-coordinated-shutdown-when-down = on
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver.active-strategy = keep-majority
                # A SIGKILLed node must be raised (fleet.node-unreachable) within 10 s. Heartbeats every 1 s; the
                # phi detector marks a node unreachable once no heartbeat came for about the acceptable pause (3 s)
                # plus the mean interval (1 s) and a few 100 ms of deviation: ~4-5 s, then up to one gossip round
                # (1 s) until the singleton's node hears of it. A pause of 3 s still rides out a long GC or a busy
                # two-core box. The watcher raises on unreachability, not on downing; the SBR downs after the
                # membership was stable for 4 s more (~9 s), which also bounds a hand-over when the dead node was
                # the singleton's own (the next oldest takes over when it is removed).
                failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = 3s
                  threshold = 8.0
                }
                split-brain-resolver.stable-after = 4s
              }
            }
            """));
    }

    /// <summary>
    /// The setup of one fleet actor system: the HOCON and the TLS material. Mutual authentication is
    /// required on both sides; <paramref name="validator"/> replaces Akka's system-store chain check.
    /// </summary>
    public static ActorSystemSetup Setup(FleetOptions options, NodeIdentity node, FleetCredentials credentials, FleetPeerValidator validator) =>
        BootstrapSetup.Create()
            .WithConfig(Hocon(options, node))
            .And(new DotNettySslSetup(credentials.Certificate, suppressValidation: false, requireMutualAuthentication: true,
                validateCertificateHostname: false, customValidator: validator.Callback));

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Duration(TimeSpan value) =>
        Math.Max(1, (long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
}
