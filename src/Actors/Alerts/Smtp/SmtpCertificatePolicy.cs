using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>
/// Whether the SMTP server's certificate is accepted: a certificate that verifies always is; one
/// that does not only when its thumbprint is the configured one, or when verification is switched
/// off for lab use.
/// </summary>
public static class SmtpCertificatePolicy
{
    public static bool Accepts(SslPolicyErrors errors, X509Certificate? certificate, string? trustedThumbprint, bool skipVerification)
    {
        if (errors == SslPolicyErrors.None || skipVerification) return true;
        if (trustedThumbprint is null || certificate is null) return false;
        var algorithm = trustedThumbprint.Length == 64 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        return string.Equals(certificate.GetCertHashString(algorithm), trustedThumbprint, StringComparison.OrdinalIgnoreCase);
    }
}
