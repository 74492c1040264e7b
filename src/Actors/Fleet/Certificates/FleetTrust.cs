using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>A fleet peer whose certificate <see cref="FleetTrust"/> accepted.</summary>
/// <param name="NodeName">The certificate's CN: the node (or subscriber) name.</param>
/// <param name="Role">The certificate's OU.</param>
public sealed record FleetPeer(string NodeName, FleetRole Role);

/// <summary>What <see cref="FleetTrust"/> decided: the peer, or why it is refused.</summary>
public sealed record FleetTrustVerdict(FleetPeer? Peer, string? Refusal)
{
    public bool Accepted => Peer is not null;

    public static FleetTrustVerdict Accept(FleetPeer peer) => new(peer, null);

    public static FleetTrustVerdict Refuse(string reason) => new(null, reason);
}

/// <summary>
/// Judges a certificate a peer presents against the fleet CA, and nothing else: the chain must build to
/// exactly that CA (custom root trust, the machine's store ignored, no revocation check, no download),
/// the certificate must be valid now (the injected clock), not a CA itself, carry a valid node name as
/// CN and a role as OU (see <see cref="FleetCertificateIssuer"/>), and have clientAuth EKU, plus serverAuth
/// for a node. Pure and without Akka: the fleet plane's TLS callback and the subscriber receptionist call it.
/// </summary>
public sealed class FleetTrust
{
    private readonly TimeProvider _time;

    /// <param name="caCertificate">The fleet CA certificate (<see cref="FleetCertificateAuthority.LoadCertificate"/>); its key is not needed.</param>
    public FleetTrust(X509Certificate2 caCertificate, TimeProvider time)
    {
        CaCertificate = caCertificate;
        _time = time;
    }

    public X509Certificate2 CaCertificate { get; }

    /// <summary>A trust over the CA certificate in the PEM file at <paramref name="caPath"/> (<c>DPlaneOS:Fleet:CaPath</c>).</summary>
    /// <exception cref="FleetCertificateException">The file is missing or not a CA certificate.</exception>
    public static FleetTrust FromCaFile(string caPath, TimeProvider time) => new(FleetCertificateAuthority.LoadCertificate(caPath), time);

    /// <summary>Accepts <paramref name="peer"/> with its name and role, or says why not.</summary>
    public FleetTrustVerdict Validate(X509Certificate2? peer)
    {
        if (peer is null) return FleetTrustVerdict.Refuse("no certificate presented");
        var who = peer.Subject;
        if (peer.Extensions.OfType<X509BasicConstraintsExtension>().Any(c => c.CertificateAuthority))
            return FleetTrustVerdict.Refuse($"{who}: a CA certificate is not a fleet member's certificate");

        var now = _time.GetUtcNow().UtcDateTime;
        using (var chain = new X509Chain())
        {
            chain.ChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
                VerificationTime = now,
                VerificationTimeIgnored = false,
            };
            chain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
            var built = chain.Build(peer);
            try
            {
                if (!built)
                {
                    var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status);
                    if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
                        return FleetTrustVerdict.Refuse($"{who}: not valid now (valid from {peer.NotBefore.ToUniversalTime():u} to {peer.NotAfter.ToUniversalTime():u})");
                    return FleetTrustVerdict.Refuse($"{who}: does not chain to the fleet CA ({flags})");
                }
                if (chain.ChainElements.Count != 2 || !chain.ChainElements[1].Certificate.RawData.AsSpan().SequenceEqual(CaCertificate.RawData))
                    return FleetTrustVerdict.Refuse($"{who}: not issued directly by the fleet CA");
            }
            finally
            {
                foreach (var element in chain.ChainElements)
                {
                    if (!ReferenceEquals(element.Certificate, peer) && !ReferenceEquals(element.Certificate, CaCertificate)) element.Certificate.Dispose();
                }
            }
        }

        var name = peer.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.3").Select(rdn => rdn.GetSingleElementValue()).ToList();
        if (name is not [{ } nodeName] || NodeNames.Error(nodeName) is not null)
            return FleetTrustVerdict.Refuse($"{who}: the CN is not one node name ({NodeNames.Rule})");
        var roles = peer.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.11").Select(rdn => FleetRoles.Parse(rdn.GetSingleElementValue())).ToList();
        if (roles is not [{ } role])
            return FleetTrustVerdict.Refuse($"{who}: the OU is not one fleet role (node or subscriber)");

        var usages = peer.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Select(o => o.Value).ToHashSet();
        if (!usages.Contains(FleetCertificateIssuer.ClientAuth.Value))
            return FleetTrustVerdict.Refuse($"{who}: no clientAuth extended key usage");
        if (role == FleetRole.Node && !usages.Contains(FleetCertificateIssuer.ServerAuth.Value))
            return FleetTrustVerdict.Refuse($"{who}: a node certificate without serverAuth extended key usage");

        return FleetTrustVerdict.Accept(new FleetPeer(nodeName, role));
    }

    /// <summary>As <see cref="Validate(X509Certificate2?)"/>, and refuses a peer whose role is not <paramref name="required"/>.</summary>
    public FleetTrustVerdict Validate(X509Certificate2? peer, FleetRole required)
    {
        var verdict = Validate(peer);
        if (verdict.Peer is { } accepted && accepted.Role != required)
            return FleetTrustVerdict.Refuse($"{peer!.Subject}: a {FleetRoles.Name(accepted.Role)} certificate where a {FleetRoles.Name(required)} is required");
        return verdict;
    }

    /// <summary>
    /// A TLS certificate check for <see cref="SslStream"/> (both sides of mutual TLS): the peer is judged by
    /// <see cref="Validate(X509Certificate2?)"/> alone. The platform's verdict is set aside on purpose: its
    /// chain errors come from the machine's trust store, which does not hold the fleet CA, and a name mismatch
    /// is expected (peers are dialled by address; membership is what the fleet CA grants).
    /// </summary>
    /// <param name="refused">Told every refusal (to log it), with the reason.</param>
    public RemoteCertificateValidationCallback TlsCallback(Action<FleetTrustVerdict>? refused = null) =>
        (_, certificate, _, errors) =>
        {
            var verdict = errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || certificate is null
                ? FleetTrustVerdict.Refuse("no certificate presented")
                : ValidateAny(certificate);
            if (!verdict.Accepted) refused?.Invoke(verdict);
            return verdict.Accepted;
        };

    private FleetTrustVerdict ValidateAny(X509Certificate certificate)
    {
        if (certificate is X509Certificate2 certificate2) return Validate(certificate2);
        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return Validate(copy);
    }
}
