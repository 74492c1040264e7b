using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DPlaneOS.Actors.Configuration;

namespace DPlaneOS.Actors.Fleet;

/// <summary>
/// The TLS material of a fleet node: its own certificate with the private key (PKCS#12) and the fleet CA
/// certificate (PEM) that every peer's certificate must chain to. Loaded once when the fleet plane starts,
/// so a wrong path or password stops the start with a message naming the setting.
/// </summary>
public sealed record FleetCredentials(X509Certificate2 Certificate, X509Certificate2 Ca)
{
    public static FleetCredentials Load(FleetOptions options)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"{FleetOptions.Section}:CertificatePath '{options.CertificatePath}' is not a PKCS#12 file this password opens: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{FleetOptions.Section}:CertificatePath '{options.CertificatePath}' holds no private key");

        X509Certificate2 ca;
        try
        {
            ca = X509Certificate2.CreateFromPem(File.ReadAllText(options.CaPath!));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{FleetOptions.Section}:CaPath '{options.CaPath}' is not a PEM certificate: {e.Message}", e);
        }
        return new FleetCredentials(certificate, ca);
    }
}
