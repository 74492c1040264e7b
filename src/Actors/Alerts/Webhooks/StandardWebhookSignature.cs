using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// The Standard Webhooks headers (standardwebhooks.com), sent beside <see cref="WebhookSignature"/>'s for this
/// release, so a receiver can verify with an off-the-shelf library: <c>webhook-id</c> (the notification id, the
/// same on every retry), <c>webhook-timestamp</c> (unix seconds) and, with a secret,
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 over "id.timestamp.body"&gt;</c>. The HMAC key is the
/// base64 after <c>whsec_</c> for a secret in that form; any other secret is used as its UTF-8 bytes, which a
/// library reads as <c>whsec_</c> + base64(UTF-8 secret) (<see cref="LibrarySecret"/>).
/// </summary>
public static class StandardWebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    public static string Compute(string secret, string id, long unixSeconds, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Key(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(id + "." + unixSeconds.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return "v1," + Convert.ToBase64String(hmac.GetHashAndReset());
    }

    /// <summary>The secret as a Standard Webhooks library expects it (<c>whsec_…</c>), for the receiver's side.</summary>
    public static string LibrarySecret(string secret) =>
        IsStandardForm(secret) ? secret : SecretPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));

    /// <summary>Why a secret that starts with <c>whsec_</c> cannot be used, or null (also for every other secret).</summary>
    public static string? FormProblem(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        var key = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], key, out var length) && length >= 16
            ? null
            : $"a secret that starts with '{SecretPrefix}' must be base64 of at least 16 bytes after it (the Standard Webhooks form)";
    }

    private static bool IsStandardForm(string secret) => secret.StartsWith(SecretPrefix, StringComparison.Ordinal) && FormProblem(secret) is null;

    private static byte[] Key(string secret) =>
        IsStandardForm(secret) ? Convert.FromBase64String(secret[SecretPrefix.Length..]) : Encoding.UTF8.GetBytes(secret);
}
