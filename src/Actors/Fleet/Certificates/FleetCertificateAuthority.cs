using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>
/// The fleet's certificate authority: an ECDSA P-256 key and a self-signed certificate (CA, may sign
/// certificates and CRLs, 10 years), kept as <c>ca.crt</c> (PEM, mode 0644: every node gets a copy as
/// <c>DPlaneOS:Fleet:CaPath</c>) and <c>ca.key</c> (PEM PKCS#8, mode 0600: stays with whoever issues
/// certificates, off the appliances). Made by <c>dplaned fleet ca create</c>; only .NET's own crypto.
/// </summary>
public sealed class FleetCertificateAuthority : IDisposable
{
    public const string CertificateFileName = "ca.crt";
    public const string KeyFileName = "ca.key";
    public const string SubjectName = "CN=DPlaneOS fleet CA, O=DPlaneOS";

    /// <summary>How long a new CA is valid: 10 years.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3653);

    /// <summary>How far into the past a new certificate's validity starts, for clocks a little behind.</summary>
    internal static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private FleetCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate without its key, as nodes see it (what goes into a node's PKCS#12 file).</summary>
    public X509Certificate2 PublicCertificate() => X509CertificateLoader.LoadCertificate(Certificate.RawData);

    /// <summary>
    /// Makes a new CA and writes it to <paramref name="directory"/> (created, mode 0700, when missing).
    /// Refuses, with nothing written, when the directory already holds <c>ca.crt</c> or <c>ca.key</c>:
    /// a second CA over the first would lock every issued certificate out of the fleet.
    /// </summary>
    /// <exception cref="FleetCertificateException">A CA is already there, or the files cannot be written.</exception>
    public static FleetCertificateAuthority Create(string directory, TimeProvider time)
    {
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        if (FleetFiles.Occupied(certificatePath) || FleetFiles.Occupied(keyPath))
            throw new FleetCertificateException(
                $"{directory} already holds a fleet CA ({CertificateFileName} or {KeyFileName}); refusing to overwrite it (every certificate it issued would stop working)");
        try
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FleetCertificateException($"cannot create {directory}: {ex.Message}", ex);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(SubjectName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = time.GetUtcNow();
        // Carries the key already (CreateSelfSigned keeps it).
        var selfSigned = request.CreateSelfSigned(now - ClockSkew, now + Lifetime);

        // The key first: a crash between the two leaves a key without a certificate, which Load reports,
        // never a certificate whose key is lost.
        try
        {
            FleetFiles.CreateNew(keyPath, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), FleetFiles.OwnerOnly);
            try
            {
                FleetFiles.CreateNew(certificatePath, Encoding.ASCII.GetBytes(selfSigned.ExportCertificatePem() + "\n"), FleetFiles.WorldReadable);
            }
            catch (FleetCertificateException)
            {
                File.Delete(keyPath);
                throw;
            }
        }
        catch
        {
            selfSigned.Dispose();
            throw;
        }
        return new FleetCertificateAuthority(selfSigned);
    }

    /// <summary>The CA in <paramref name="directory"/> (its <c>ca.crt</c> and <c>ca.key</c>), ready to sign.</summary>
    /// <exception cref="FleetCertificateException">The files are missing, unreadable, do not match, or are not a CA.</exception>
    public static FleetCertificateAuthority Load(string directory)
    {
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (!File.Exists(path))
                throw new FleetCertificateException($"{directory} holds no fleet CA: {path} is missing (make one with 'dplaned fleet ca create --out DIR')");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new FleetCertificateException($"cannot read the fleet CA in {directory}: {ex.Message}", ex);
        }
        if (CaError(certificate) is { } error)
        {
            certificate.Dispose();
            throw new FleetCertificateException($"{certificatePath} {error}");
        }
        return new FleetCertificateAuthority(certificate);
    }

    /// <summary>
    /// The CA certificate alone from a PEM file (a node's <c>DPlaneOS:Fleet:CaPath</c>), without its key:
    /// what <see cref="FleetTrust"/> checks peers against.
    /// </summary>
    /// <exception cref="FleetCertificateException">The file is missing, is not a PEM certificate, or not a CA.</exception>
    public static X509Certificate2 LoadCertificate(string path)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(path)).RawData);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new FleetCertificateException($"cannot read the fleet CA certificate {path}: {ex.Message}", ex);
        }
        if (CaError(certificate) is { } error)
        {
            certificate.Dispose();
            throw new FleetCertificateException($"{path} {error}");
        }
        return certificate;
    }

    /// <summary>The certificate's SHA-256 fingerprint, hex, as the CLI prints it.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static string? CaError(X509Certificate2 certificate)
    {
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true })
            return "is not a CA certificate (no BasicConstraints CA=true)";
        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) is false)
            return "is not a self-signed root (its issuer is not its subject)";
        return null;
    }

    public void Dispose() => Certificate.Dispose();
}
