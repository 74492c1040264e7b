using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>
/// Issues fleet certificates signed by the fleet CA. A certificate's subject is
/// <c>CN=&lt;node name&gt;, OU=&lt;role&gt;, O=DPlaneOS fleet</c>: the CN is the node name, the OU its
/// <see cref="FleetRole"/> (<c>node</c> or <c>subscriber</c>), which <see cref="FleetTrust"/> reads back.
/// SAN: the node name as a DNS name, plus every extra host name or IP address. EKU: serverAuth and
/// clientAuth for a node, clientAuth only for a subscriber. ECDSA P-256, SHA-256, 2 years (never past
/// the CA's own end), AuthorityKeyIdentifier naming the CA's key.
/// </summary>
public sealed class FleetCertificateIssuer(FleetCertificateAuthority authority, TimeProvider time)
{
    public const string Organization = "DPlaneOS fleet";

    /// <summary>How long a new certificate is valid: 2 years, or until the CA ends if that is sooner.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(730);

    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    /// <summary>A new key and certificate for <paramref name="nodeName"/>, with its private key.</summary>
    /// <param name="hosts">Extra SAN entries: host names (DNS) or IP addresses the node is reached by.</param>
    /// <exception cref="FleetCertificateException">A bad name or host, or a CA that cannot sign now.</exception>
    public X509Certificate2 Issue(string nodeName, FleetRole role, IReadOnlyCollection<string>? hosts = null)
    {
        var now = time.GetUtcNow();
        return Issue(nodeName, role, hosts, now - FleetCertificateAuthority.ClockSkew, now + Lifetime);
    }

    /// <summary>As <see cref="Issue(string, FleetRole, IReadOnlyCollection{string}?)"/>, with the validity given (tests).</summary>
    internal X509Certificate2 Issue(string nodeName, FleetRole role, IReadOnlyCollection<string>? hosts, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (NodeNames.Error(nodeName) is { } nameError)
            throw new FleetCertificateException($"'{nodeName}' is not a node name: {nameError}");
        var caCertificate = authority.Certificate;
        var caStart = new DateTimeOffset(caCertificate.NotBefore.ToUniversalTime());
        var caEnd = new DateTimeOffset(caCertificate.NotAfter.ToUniversalTime());
        if (notBefore < caStart) notBefore = caStart;
        if (notAfter > caEnd) notAfter = caEnd;
        if (notBefore >= notAfter)
            throw new FleetCertificateException($"the fleet CA is valid from {caStart:u} to {caEnd:u}; it cannot issue a certificate now");

        var alternativeNames = new SubjectAlternativeNameBuilder();
        alternativeNames.AddDnsName(nodeName);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { nodeName };
        foreach (var host in hosts ?? [])
        {
            if (!seen.Add(host)) continue;
            if (IPAddress.TryParse(host, out var address)) alternativeNames.AddIpAddress(address);
            else if (HostNameError(host) is { } hostError) throw new FleetCertificateException($"--host '{host}': {hostError}");
            else alternativeNames.AddDnsName(host);
        }

        var subject = new X500DistinguishedNameBuilder();
        // Encoded most significant first (O, OU, CN), so it reads CN=…, OU=…, O=… like the CA's.
        subject.AddCommonName(nodeName);
        subject.AddOrganizationalUnitName(FleetRoles.Name(role));
        subject.AddOrganizationName(Organization);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var usages = role == FleetRole.Node ? new OidCollection { ServerAuth, ClientAuth } : new OidCollection { ClientAuth };
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        request.CertificateExtensions.Add(alternativeNames.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCertificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive, as RFC 5280 wants
        using var issued = request.Create(caCertificate, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Issues a certificate and writes it to <paramref name="path"/> as PKCS#12 (the key, the certificate and
    /// the CA certificate; AES-256 with the password when one is given), created with mode 0600 and never
    /// over an existing file. Returns the certificate (with its key).
    /// </summary>
    /// <exception cref="FleetCertificateException">Bad name or host, CA cannot sign, or the file exists or cannot be written.</exception>
    public X509Certificate2 IssueToFile(string path, string nodeName, FleetRole role, IReadOnlyCollection<string>? hosts = null, string? password = null)
    {
        if (FleetFiles.Occupied(path)) throw new FleetCertificateException($"{path} already exists; refusing to overwrite it");
        var issued = Issue(nodeName, role, hosts);
        using var caCertificate = authority.PublicCertificate();
        FleetFiles.CreateNew(path, Pkcs12(issued, caCertificate, password), FleetFiles.OwnerOnly);
        return issued;
    }

    /// <summary>The PKCS#12 bytes of <paramref name="issued"/> (with its key) and the CA certificate.</summary>
    public static byte[] Pkcs12(X509Certificate2 issued, X509Certificate2 caCertificate, string? password) =>
        new X509Certificate2Collection { issued, caCertificate }.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);

    /// <summary>Null when <paramref name="host"/> is a DNS host name (labels of letters, digits and '-'), else why not.</summary>
    public static string? HostNameError(string host)
    {
        const string rule = "a host is an IP address or a DNS name (dot-separated labels of 1 to 63 ASCII letters, digits and '-', not starting or ending with '-'; at most 253 characters)";
        if (host.Length is 0 or > 253) return rule;
        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return rule;
            if (label.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-')) return rule;
        }
        return null;
    }
}
