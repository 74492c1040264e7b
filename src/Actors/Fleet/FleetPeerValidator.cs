using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Remote.Transport.DotNetty;
using DPlaneOS.Actors.Fleet.Certificates;

namespace DPlaneOS.Actors.Fleet;

/// <summary>A peer whose TLS certificate the fleet plane refused (raised before any message of it is read).</summary>
/// <param name="Peer">The remote address as Akka's transport names it (socket address inbound, actor address outbound).</param>
/// <param name="Subject">The peer certificate's subject, or null when it sent none.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record FleetPeerRefused(string Peer, string? Subject, string Reason);

/// <summary>
/// The fleet plane's TLS peer check, given to Akka.Remote as <see cref="DotNettySslSetup.CustomValidator"/>.
/// Akka calls it from the TLS handshake of every inbound and outbound connection, in place of its own chain
/// check (which trusts the machine's CA store). The peer is judged by <see cref="FleetTrust"/> alone and must
/// hold a node certificate: a subscriber's certificate does not make a cluster member. The handshake fails
/// otherwise, so nothing the peer sends reaches Akka's framing or protocol handlers.
/// </summary>
public sealed class FleetPeerValidator(FleetTrust trust, Action<FleetPeerRefused> refused)
{
    /// <summary>The callback for <see cref="DotNettySslSetup"/>.</summary>
    public CertificateValidationCallback Callback => Validate;

    /// <summary>Null when <paramref name="certificate"/> is a fleet node's certificate, else why not.</summary>
    public string? Check(X509Certificate2? certificate) => trust.Validate(certificate, FleetRole.Node).Refusal;

    private bool Validate(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        // errors is the runtime's verdict against the system store (chain errors for a private CA, a name
        // mismatch for an address): the fleet's own check replaces it.
        var reason = Check(certificate);
        if (reason is null)
            return true;
        log.Warning("Fleet TLS: refused peer {0} ({1}): {2}", remotePeer, certificate?.Subject ?? "no certificate", reason);
        refused(new FleetPeerRefused(remotePeer, certificate?.Subject, reason));
        return false;
    }
}
