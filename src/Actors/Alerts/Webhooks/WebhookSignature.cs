using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// How a receiver knows a delivery is ours and fresh. Every POST carries
/// <c>X-DPlaneOS-Timestamp: &lt;unix seconds&gt;</c>; when the webhook has a secret it also carries
/// <c>X-DPlaneOS-Signature: sha256=&lt;hex&gt;</c>, the lower-case hex HMAC-SHA256 keyed with the
/// UTF-8 bytes of the secret over the ASCII timestamp, one <c>.</c>, and the raw body bytes exactly
/// as received. Receivers recompute it, compare in constant time, and reject timestamps too far
/// from their clock (e.g. 5 min) to stop replays; <c>X-DPlaneOS-Delivery</c> (the notification id,
/// the same on every retry) lets them drop duplicates.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-DPlaneOS-Signature";
    public const string TimestampHeader = "X-DPlaneOS-Timestamp";
    public const string DeliveryHeader = "X-DPlaneOS-Delivery";
    public const string EventHeader = "X-DPlaneOS-Event";
    public const string Prefix = "sha256=";

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var timestamp = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(timestamp);
        hmac.AppendData(body);
        return Prefix + Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>The receiver's check, for tools and docs: signature and timestamp within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || signatureHeader is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}
