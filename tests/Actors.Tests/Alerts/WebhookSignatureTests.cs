using System.Text;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"n1","kind":"raised"}""");

    // Expected values from: printf '%s' '1700000000.{"id":"n1","kind":"raised"}' | openssl dgst -sha256 -hmac '<secret>'
    [Theory]
    [InlineData("it's a secret to everybody", "df562764193f0bfbae9934ea007d34b7a9a0867dc5c5828e95489fc7271163c4")]
    [InlineData("pässwörd-ünicode-key", "44ed595683d5fe3fb2bdf71daeb7f595986f35be261a91fa75e5599ec9614916")]
    public void The_signature_is_hex_hmac_sha256_of_timestamp_dot_body(string secret, string expectedHex) =>
        Assert.Equal("sha256=" + expectedHex, WebhookSignature.Compute(secret, 1700000000, Body));

    [Fact]
    public void A_receiver_verifies_a_fresh_signature_and_rejects_tampering_other_keys_and_stale_timestamps()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var signature = WebhookSignature.Compute("secret-of-sixteen+", 1700000000, Body);
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.True(WebhookSignature.Verify("secret-of-sixteen+", "1700000000", signature, Body, now.AddMinutes(4), tolerance));
        Assert.False(WebhookSignature.Verify("secret-of-sixteen+", "1700000000", signature, [.. Body, (byte)' '], now, tolerance));
        Assert.False(WebhookSignature.Verify("another-secret-xyz", "1700000000", signature, Body, now, tolerance));
        Assert.False(WebhookSignature.Verify("secret-of-sixteen+", "1700000001", signature, Body, now, tolerance));
        Assert.False(WebhookSignature.Verify("secret-of-sixteen+", "1700000000", signature, Body, now.AddMinutes(6), tolerance));
        Assert.False(WebhookSignature.Verify("secret-of-sixteen+", "not-a-number", signature, Body, now, tolerance));
        Assert.False(WebhookSignature.Verify("secret-of-sixteen+", "1700000000", null, Body, now, tolerance));
    }
}
