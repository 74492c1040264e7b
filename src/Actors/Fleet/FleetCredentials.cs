using System.Security.Cryptography.X509Certificates;
using DPlaneOS.Actors.Fleet.Certificates;

namespace DPlaneOS.Actors.Fleet;

/// <summary>
/// The TLS material of a fleet node: its own certificate with the private key (PKCS#12, as
/// <c>dplaned fleet cert create</c> writes it) and the fleet CA certificate (PEM) that every peer's
/// certificate must chain to. Loaded once when the fleet plane starts, so a wrong path or password stops
/// the start with a message naming the setting.
/// </summary>
public sealed record FleetCredentials(X509Certificate2 Certificate, X509Certificate2 Ca)
{
    public static FleetCredentials Load(FleetOptions options) =>
        new(Named("CertificatePath", () => FleetCertificateFile.Load(options.CertificatePath!, options.CertificatePassword)),
            Named("CaPath", () => FleetCertificateAuthority.LoadCertificate(options.CaPath!)));

    private static X509Certificate2 Named(string setting, Func<X509Certificate2> load)
    {
        try
        {
            return load();
        }
        catch (FleetCertificateException e)
        {
            throw new InvalidOperationException($"{FleetOptions.Section}:{setting}: {e.Message}", e);
        }
    }
}
