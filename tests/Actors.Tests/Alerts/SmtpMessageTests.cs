using System.Net.Security;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport.Alerts;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class SmtpMessageTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static AlertMessage Message(string type, Severity severity, string subject, string kind = "raised", Dictionary<string, string>? data = null) =>
        new("n-1", $"{type}|{subject}", kind, severity, "e-1", type, subject, "nas1", At, At.AddSeconds(30), data ?? []);

    [Theory]
    [InlineData("pool.failed", Severity.Critical, "tank", "raised", "[dplaned] CRITICAL pool.failed tank")]
    [InlineData("capacity.warning", Severity.Warning, "tank/media", "raised", "[dplaned] WARNING capacity.warning tank/media")]
    [InlineData("pool.failed", Severity.Resolved, "tank", "resolved", "[dplaned] RESOLVED pool.failed tank")]
    [InlineData("smtp.test", Severity.Info, "nas1", "test", "[dplaned] TEST smtp.test nas1")]
    public void The_subject_says_severity_event_and_subject(string type, Severity severity, string subject, string kind, string expected) =>
        Assert.Equal(expected, SmtpMessageBuilder.Subject(Message(type, severity, subject, kind)));

    [Fact]
    public void Line_breaks_in_a_subject_cannot_inject_headers()
    {
        var subject = SmtpMessageBuilder.Subject(Message("pool.failed", Severity.Critical, "tank\r\nBcc: evil@example.net"));
        Assert.Equal("[dplaned] CRITICAL pool.failed tank Bcc: evil@example.net", subject);
    }

    [Fact]
    public void The_body_lists_every_detail()
    {
        var body = SmtpMessageBuilder.Body(Message("pool.degraded", Severity.Warning, "tank", data: new() { ["vdev"] = "/dev/disk/by-id/ata-X", ["state"] = "DEGRADED" }));
        Assert.StartsWith("WARNING: pool.degraded on tank\n\n", body);
        Assert.Contains("Severity:     warning\n", body);
        Assert.Contains("Node:         nas1\n", body);
        Assert.Contains("Observed:     2025-06-01 12:00:00Z\n", body);
        Assert.Contains("Notification: n-1\n", body);
        Assert.Contains("Details:\n  state: DEGRADED\n  vdev: /dev/disk/by-id/ata-X\n", body);
    }

    [Fact]
    public void The_mail_has_date_message_id_sender_recipients_and_the_delivery_id()
    {
        var settings = new SmtpSettings("h", 25, SmtpSecurity.None, null, null, "NAS <nas@example.net>", ["a@example.net", "b@example.net"],
            Severity.Warning, true, null, false, At);
        var mail = SmtpMessageBuilder.Build(settings, Message("pool.failed", Severity.Critical, "tank"), At);
        Assert.Equal(At, mail.Date);
        Assert.False(string.IsNullOrEmpty(mail.MessageId));
        Assert.Equal("nas@example.net", mail.From.Mailboxes.Single().Address);
        Assert.Equal(["a@example.net", "b@example.net"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("n-1", mail.Headers["X-DPlaneOS-Delivery"]);
        Assert.Equal("text/plain", mail.Body!.ContentType.MimeType);
    }

    [Fact]
    public void Certificates_are_verified_unless_pinned_by_thumbprint_or_verification_is_off()
    {
        using var certificate = LabSmtpServer.SelfSignedCertificate();
        var sha256 = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var sha1 = certificate.GetCertHashString();
        const SslPolicyErrors untrusted = SslPolicyErrors.RemoteCertificateChainErrors;

        Assert.True(SmtpCertificatePolicy.Accepts(SslPolicyErrors.None, certificate, null, false));
        Assert.False(SmtpCertificatePolicy.Accepts(untrusted, certificate, null, false));
        Assert.True(SmtpCertificatePolicy.Accepts(untrusted, certificate, sha256, false));
        Assert.True(SmtpCertificatePolicy.Accepts(untrusted, certificate, sha1, false));
        Assert.True(SmtpCertificatePolicy.Accepts(untrusted, certificate, sha256.ToLowerInvariant(), false));
        Assert.False(SmtpCertificatePolicy.Accepts(untrusted, certificate, new string('0', 64), false));
        Assert.True(SmtpCertificatePolicy.Accepts(untrusted, certificate, null, true));
        Assert.False(SmtpCertificatePolicy.Accepts(untrusted, null, sha256, false));
    }
}
