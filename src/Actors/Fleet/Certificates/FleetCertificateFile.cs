using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>A node's (or subscriber's) PKCS#12 file as <c>dplaned fleet cert create</c> writes it (<c>DPlaneOS:Fleet:CertificatePath</c>).</summary>
public static class FleetCertificateFile
{
    /// <summary>The certificate with its private key from the PKCS#12 file at <paramref name="path"/>.</summary>
    /// <exception cref="FleetCertificateException">The file is missing, the password is wrong, or it holds no certificate with a key.</exception>
    public static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new FleetCertificateException($"cannot read the fleet certificate {path} (wrong password, or not a PKCS#12 file?): {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new FleetCertificateException($"{path} holds no certificate with its private key (make one with 'dplaned fleet cert create')");
        }
        return certificate;
    }
}
