using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace DPlaneOS.Actors.Fleet;

/// <summary>A peer whose TLS certificate the fleet plane refused (raised before any message of it is read).</summary>
/// <param name="Peer">The remote address as Akka's transport names it (socket address inbound, actor address outbound).</param>
/// <param name="Subject">The peer certificate's subject, or null when it sent none.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record FleetPeerRefused(string Peer, string? Subject, string Reason);

/// <summary>
/// The fleet plane's TLS peer check, given to Akka.Remote as <see cref="DotNettySslSetup.CustomValidator"/>.
/// Akka calls it from the TLS handshake of every inbound and outbound connection (it replaces Akka's own
/// chain check, which trusts the machine's CA store): a peer is accepted only when its certificate chains
/// to the fleet CA alone (custom root trust, no system roots). The handshake fails otherwise, so nothing
/// the peer sends reaches Akka's framing or protocol handlers.
/// </summary>
/// <remarks>
/// Host names are not compared: fleet nodes are reached by address and each holds its own certificate;
/// membership in the fleet is what the CA signs. To be replaced by <c>Fleet/Certificates/FleetTrust</c>.
/// </remarks>
public sealed class FleetPeerValidator
{
    private readonly X509Certificate2 _ca;
    private readonly Action<FleetPeerRefused> _refused;

    public FleetPeerValidator(X509Certificate2 ca, Action<FleetPeerRefused> refused)
    {
        _ca = ca;
        _refused = refused;
    }

    /// <summary>The callback for <see cref="DotNettySslSetup"/>.</summary>
    public CertificateValidationCallback Callback => Validate;

    /// <summary>Null when <paramref name="certificate"/> chains to the fleet CA, else why not.</summary>
    public string? Check(X509Certificate2? certificate, X509Chain? presented)
    {
        if (certificate is null)
            return "no certificate presented";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
        {
            // Intermediates the peer sent; the root must still be the fleet CA.
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (!chain.Build(certificate))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return $"certificate issued by '{certificate.Issuer}' does not chain to the fleet CA '{_ca.Subject}' ({status})";
        }
        var root = chain.ChainElements[^1].Certificate;
        return root.RawDataMemory.Span.SequenceEqual(_ca.RawDataMemory.Span)
            ? null
            : $"certificate chains to '{root.Subject}', not to the fleet CA '{_ca.Subject}'";
    }

    private bool Validate(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        // errors is the runtime's verdict against the system store (RemoteCertificateChainErrors for a
        // private CA, NameMismatch for an address): the fleet's own check replaces it.
        var reason = Check(certificate, chain);
        if (reason is null)
            return true;
        log.Warning("Fleet TLS: refused peer {0} ({1}): {2}", remotePeer, certificate?.Subject ?? "no certificate", reason);
        _refused(new FleetPeerRefused(remotePeer, certificate?.Subject, reason));
        return false;
    }
}
