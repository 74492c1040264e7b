using System.Text;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class StandardWebhookSignatureTests
{
    // The example of the Standard Webhooks reference libraries' own tests (secret, id, timestamp, payload, signature).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecPayload = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void A_whsec_secret_signs_as_the_reference_libraries_do()
    {
        Assert.Equal(SpecSignature, StandardWebhookSignature.Compute(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecPayload)));
    }

    [Fact]
    public void Any_other_secret_is_its_utf8_bytes_which_a_library_reads_as_whsec_base64()
    {
        const string plain = "integration-secret-0123456789";
        var body = Encoding.UTF8.GetBytes(SpecPayload);
        var library = StandardWebhookSignature.LibrarySecret(plain);
        Assert.Equal("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)), library);
        Assert.Equal(StandardWebhookSignature.Compute(library, SpecId, SpecTimestamp, body), StandardWebhookSignature.Compute(plain, SpecId, SpecTimestamp, body));
        Assert.NotEqual(StandardWebhookSignature.Compute(plain, SpecId, SpecTimestamp + 1, body), StandardWebhookSignature.Compute(plain, SpecId, SpecTimestamp, body));
        Assert.NotEqual(StandardWebhookSignature.Compute(plain, "msg_other", SpecTimestamp, body), StandardWebhookSignature.Compute(plain, SpecId, SpecTimestamp, body));
    }

    [Theory]
    [InlineData("whsec_not base64!", false)]
    [InlineData("whsec_c2hvcnQ=", false)]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true)]
    [InlineData("any other secret of enough length", true)]
    public void A_secret_in_whsec_form_must_be_base64_of_16_bytes_or_more(string secret, bool usable)
    {
        Assert.Equal(usable, StandardWebhookSignature.FormProblem(secret) is null);
    }
}
