using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DPlaneOS.Actors.Events;
using System.Net.Http.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Alerts;
using MimeKit;

namespace DPlaneOS.Integration.Tests;

/// <summary>The real daemon mailing through MailKit to a real SMTP server (SmtpServer package) on 127.0.0.1.</summary>
public sealed class SmtpDeliveryTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private static string Settings(int port, string security, string extra = "") => $$"""
        {"host":"127.0.0.1","port":{{port}},"security":"{{security}}","from":"NAS <nas@example.net>",
         "recipients":["ops@example.net","oncall@example.net"],"minimumSeverity":"critical"{{extra}}}
        """;

    private static string Text(MimeMessage mail) => mail.TextBody ?? throw new InvalidOperationException("no text body");

    [Fact]
    public async Task Alerts_at_or_above_the_minimum_severity_are_mailed_over_plain_smtp()
    {
        await using var server = await LabSmtpServer.StartAsync();
        await using var daemon = await AlertDaemon.StartAsync();
        await daemon.PutSmtpAsync(Settings(server.Port, "none"));
        await daemon.WaitForAlertSinksAsync();

        var failed = AlertTesting.Notification("pool.failed", Severity.Critical, "tank", data: new Dictionary<string, string> { ["state"] = "FAULTED" });
        daemon.PublishAlert(AlertTesting.Notification("pool.degraded", Severity.Warning, "tank"));
        daemon.PublishAlert(failed);
        var mail = (await server.WaitForMailsAsync(1, Within)).Single();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(server.Mails);

        Assert.Equal("[dplaned] CRITICAL pool.failed tank", mail.Message.Subject);
        Assert.Equal("nas@example.net", mail.Message.From.Mailboxes.Single().Address);
        Assert.Equal(["ops@example.net", "oncall@example.net"], mail.Recipients);
        Assert.Equal(failed.Id, mail.Message.Headers["X-DPlaneOS-Delivery"]);
        Assert.False(string.IsNullOrEmpty(mail.Message.MessageId));
        Assert.Contains("Event:        pool.failed\n", Text(mail.Message).ReplaceLineEndings("\n"));
        Assert.Contains("  state: FAULTED\n", Text(mail.Message).ReplaceLineEndings("\n"));
        Assert.False(mail.Secure);

        var delivery = (await AlertDaemon.EventuallyAsync(() => daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts/smtp"),
            s => s.GetProperty("delivery").GetProperty("lastSuccess").ValueKind == JsonValueKind.Object, Within, "lastSuccess")).GetProperty("delivery");
        Assert.Equal(failed.Id, delivery.GetProperty("lastSuccess").GetProperty("notificationId").GetString());
    }

    [Fact]
    public async Task Starttls_to_a_self_signed_server_is_refused_by_default_and_works_when_pinned_or_when_verification_is_off()
    {
        using var certificate = LabSmtpServer.SelfSignedCertificate();
        await using var server = await LabSmtpServer.StartAsync(certificate, ("alerts", "tls-only-password"));
        await using var daemon = await AlertDaemon.StartAsync();

        await daemon.PutSmtpAsync(Settings(server.Port, "starttls", ""","username":"alerts","password":"tls-only-password" """));
        var refused = await daemon.PostForJsonAsync("/api/alerts/smtp/test");
        Assert.False(refused.GetProperty("delivered").GetBoolean());
        Assert.Contains("TLS handshake failed", refused.GetProperty("error").GetString());
        Assert.Empty(server.Authentications);
        Assert.Empty(server.Mails);

        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        await daemon.PutSmtpAsync(Settings(server.Port, "starttls", $$""","username":"alerts","password":"********","trustedCertificateThumbprint":"{{thumbprint}}" """));
        var pinned = await daemon.PostForJsonAsync("/api/alerts/smtp/test");
        Assert.True(pinned.GetProperty("delivered").GetBoolean(), pinned.ToString());
        var mail = (await server.WaitForMailsAsync(1, Within)).Single();
        Assert.True(mail.Secure);
        Assert.Equal("alerts", mail.User);
        Assert.Equal(new SmtpAuthAttempt("alerts", "tls-only-password", true), server.Authentications.Single());
        Assert.StartsWith("[dplaned] TEST smtp.test ", mail.Message.Subject);

        await daemon.PutSmtpAsync(Settings(server.Port, "starttls", ""","username":"alerts","skipCertificateVerification":true"""));
        Assert.True((await daemon.PostForJsonAsync("/api/alerts/smtp/test")).GetProperty("delivered").GetBoolean());
        Assert.Equal(2, server.Mails.Count);
    }

    [Fact]
    public async Task Implicit_tls_works_with_a_pinned_certificate()
    {
        using var certificate = LabSmtpServer.SelfSignedCertificate();
        await using var server = await LabSmtpServer.StartAsync(certificate, implicitTls: true);
        await using var daemon = await AlertDaemon.StartAsync();
        var thumbprint = certificate.GetCertHashString();
        await daemon.PutSmtpAsync(Settings(server.Port, "ssl", $$""","trustedCertificateThumbprint":"{{thumbprint}}" """));
        var result = await daemon.PostForJsonAsync("/api/alerts/smtp/test");
        Assert.True(result.GetProperty("delivered").GetBoolean(), result.ToString());
        Assert.True((await server.WaitForMailsAsync(1, Within)).Single().Secure);
    }

    /// <summary>STARTTLS to a lab server with a self-signed certificate, pinned: AUTH is only ever offered over TLS.</summary>
    private static string Pinned(LabSmtpServer server, X509Certificate2 certificate, string credentials) =>
        Settings(server.Port, "starttls", $$""",{{credentials}},"trustedCertificateThumbprint":"{{certificate.GetCertHashString(HashAlgorithmName.SHA256)}}" """);

    [Fact]
    public async Task A_masked_password_sent_back_keeps_the_stored_one_and_the_server_sees_the_original()
    {
        using var certificate = LabSmtpServer.SelfSignedCertificate();
        await using var server = await LabSmtpServer.StartAsync(certificate, ("alerts", "the-original-password"));
        await using var daemon = await AlertDaemon.StartAsync();
        await daemon.PutSmtpAsync(Pinned(server, certificate, "\"username\":\"alerts\",\"password\":\"the-original-password\""));

        // The settings page: GET, change a field, PUT everything back, masked password included.
        var shown = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await daemon.Client(daemon.Token).GetStringAsync("/api/alerts/smtp"))!;
        Assert.Equal("********", shown["password"].GetString());
        shown["recipients"] = JsonSerializer.SerializeToElement(new[] { "ops@example.net" });
        var saved = await daemon.PutSmtpAsync(JsonSerializer.Serialize(shown));
        Assert.Equal("********", saved.GetProperty("password").GetString());

        var result = await daemon.PostForJsonAsync("/api/alerts/smtp/test");
        Assert.True(result.GetProperty("delivered").GetBoolean(), result.ToString());
        Assert.Equal(new SmtpAuthAttempt("alerts", "the-original-password", true), server.Authentications.Single());
        Assert.Equal(["ops@example.net"], (await server.WaitForMailsAsync(1, Within)).Single().Recipients);
    }

    [Fact]
    public async Task Settings_moved_to_another_server_never_send_it_the_stored_password()
    {
        using var certificate = LabSmtpServer.SelfSignedCertificate();
        await using var first = await LabSmtpServer.StartAsync(certificate, ("alerts", "password-for-the-first"));
        await using var second = await LabSmtpServer.StartAsync(certificate, ("alerts", "password-for-the-first"));
        await using var daemon = await AlertDaemon.StartAsync();
        await daemon.PutSmtpAsync(Pinned(first, certificate, "\"username\":\"alerts\",\"password\":\"password-for-the-first\""));
        Assert.True((await daemon.PostForJsonAsync("/api/alerts/smtp/test")).GetProperty("delivered").GetBoolean());
        Assert.Equal(new SmtpAuthAttempt("alerts", "password-for-the-first", true), first.Authentications.Single());

        // The form round trip with only the port changed: the masked password is not carried over.
        var shown = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await daemon.Client(daemon.Token).GetStringAsync("/api/alerts/smtp"))!;
        shown["port"] = JsonSerializer.SerializeToElement(second.Port);
        var saved = await daemon.PutSmtpAsync(JsonSerializer.Serialize(shown));
        Assert.False(saved.GetProperty("hasPassword").GetBoolean());

        var result = await daemon.PostForJsonAsync("/api/alerts/smtp/test");
        Assert.False(result.GetProperty("delivered").GetBoolean(), result.ToString());
        Assert.StartsWith("no password stored for user 'alerts'", result.GetProperty("error").GetString());
        Assert.Empty(second.Authentications);
        Assert.Empty(second.Mails);
        Assert.Single(first.Authentications);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_with_the_servers_answer()
    {
        using var certificate = LabSmtpServer.SelfSignedCertificate();
        await using var server = await LabSmtpServer.StartAsync(certificate, ("alerts", "right"));
        await using var daemon = await AlertDaemon.StartAsync();
        await daemon.PutSmtpAsync(Pinned(server, certificate, "\"username\":\"alerts\",\"password\":\"wrong\""));
        var result = await daemon.PostForJsonAsync("/api/alerts/smtp/test");
        Assert.False(result.GetProperty("delivered").GetBoolean());
        Assert.Contains("authentication failed", result.GetProperty("error").GetString());
        Assert.DoesNotContain("wrong", result.GetProperty("error").GetString());
        Assert.Empty(server.Mails);
    }

    [Fact]
    public async Task Mail_waits_in_the_outbox_while_the_server_is_down_and_goes_out_once_after_a_daemon_restart()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var dataDir = Directory.CreateTempSubdirectory("dplaned-smtp-outbox-").FullName;
        var notifications = new[]
        {
            AlertTesting.Notification("pool.failed", Severity.Critical, "tank"),
            AlertTesting.Notification("capacity.emergency", Severity.Critical, "tank"),
        };

        await using (var first = await AlertDaemon.StartAsync(dataDir))
        {
            await first.PutSmtpAsync(Settings(port, "none"));
            await first.WaitForAlertSinksAsync();
            foreach (var notification in notifications) first.PublishAlert(notification);
            await AlertDaemon.EventuallyAsync(() => first.Client(first.Token).GetFromJsonAsync<JsonElement>("/api/alerts/smtp"),
                s => s.GetProperty("delivery").GetProperty("pending").GetInt32() == 2
                     && s.GetProperty("delivery").GetProperty("lastFailure").ValueKind == JsonValueKind.Object,
                Within, "two mails waiting after a failure");
        }

        await using var server = await LabSmtpServer.StartAsync(port: port);
        await using (var second = await AlertDaemon.StartAsync(dataDir))
        {
            await server.WaitForMailsAsync(2, Within);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Assert.Equal(notifications.Select(n => n.Id), server.Mails.Select(m => m.Message.Headers["X-DPlaneOS-Delivery"]));
    }
}
