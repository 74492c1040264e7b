using System.Text.Json;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Events;
using DPlaneOS.Gateway.Alerts;

namespace DPlaneOS.Gateway.Tests.Alerts;

public sealed class SmtpSettingsRequestTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Minimal = """{"host":"mail.example.net","from":"nas@example.net","recipients":["ops@example.net"]}""";

    private static SmtpSettingsInput Request(string json) =>
        SmtpSettingsRequest.Parse(JsonDocument.Parse(json).RootElement, out var errors)
        ?? throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));

    private static IDictionary<string, string[]> Errors(string json)
    {
        Assert.Null(SmtpSettingsRequest.Parse(JsonDocument.Parse(json).RootElement, out var errors));
        return errors;
    }

    private static SmtpSettings Apply(string json, SmtpSettings? stored)
    {
        var (settings, rejected) = Request(json).ApplyTo(stored, Now);
        Assert.Null(rejected);
        return settings!;
    }

    [Fact]
    public void Defaults_are_starttls_on_587_warning_enabled_and_verified_certificates()
    {
        var settings = Apply(Minimal, null);
        Assert.Equal(SmtpSecurity.StartTls, settings.Security);
        Assert.Equal(587, settings.Port);
        Assert.Equal(Severity.Warning, settings.MinimumSeverity);
        Assert.True(settings.Enabled);
        Assert.False(settings.SkipCertificateVerification);
        Assert.Null(settings.TrustedCertificateThumbprint);
        Assert.Null(settings.Username);
        Assert.Null(settings.Password);
    }

    [Theory]
    [InlineData("none", 25)]
    [InlineData("ssl", 465)]
    [InlineData("STARTTLS", 587)]
    public void The_default_port_follows_the_security_mode(string security, int port) =>
        Assert.Equal(port, Apply($$"""{"host":"h","security":"{{security}}","from":"a@b.c","recipients":["d@e.f"]}""", null).Port);

    [Fact]
    public void A_masked_or_absent_password_keeps_the_stored_one_null_clears_it_a_value_replaces_it()
    {
        var stored = Apply("""{"host":"h","username":"alerts","password":"hunter2-original","from":"a@b.c","recipients":["d@e.f"]}""", null);
        Assert.Equal("hunter2-original", stored.Password);

        Assert.Equal("hunter2-original", Apply("""{"host":"h","username":"alerts","password":"********","from":"a@b.c","recipients":["d@e.f"]}""", stored).Password);
        Assert.Equal("hunter2-original", Apply("""{"host":"h","username":"alerts","from":"a@b.c","recipients":["d@e.f"]}""", stored).Password);
        Assert.Null(Apply("""{"host":"h","username":"alerts","password":null,"from":"a@b.c","recipients":["d@e.f"]}""", stored).Password);
        Assert.Equal("new-password", Apply("""{"host":"h","username":"alerts","password":"new-password","from":"a@b.c","recipients":["d@e.f"]}""", stored).Password);
    }

    [Fact]
    public void The_view_masks_the_password()
    {
        var stored = Apply("""{"host":"h","username":"alerts","password":"hunter2-original","from":"a@b.c","recipients":["d@e.f"]}""", null);
        var view = SmtpSettingsView.Of(stored, OutboxState.Empty, 0);
        Assert.Equal("********", view.Password);
        Assert.True(view.HasPassword);
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize(view));
        Assert.False(SmtpSettingsView.Of(null, OutboxState.Empty, 0).Configured);
    }

    [Fact]
    public void Records_that_may_reach_a_log_never_print_the_password()
    {
        const string json = """{"host":"h","username":"alerts","password":"hunter2-original","from":"a@b.c","recipients":["d@e.f"]}""";
        var settings = Apply(json, null);
        var printed = string.Join('\n', Request(json).ToString(), settings.ToString(), new SmtpJournal.SmtpSettingsChanged(settings).ToString(),
            new SmtpNotifierActor.Protocol.Update(Request(json)).ToString());
        Assert.DoesNotContain("hunter2", printed);
        Assert.Contains("Username = alerts", printed);
    }

    [Fact]
    public void A_password_needs_a_username()
    {
        var (settings, rejected) = Request("""{"host":"h","password":"p","from":"a@b.c","recipients":["d@e.f"]}""").ApplyTo(null, Now);
        Assert.Null(settings);
        Assert.Contains("username", rejected!.Errors.Keys);
    }

    [Fact]
    public void Every_bad_field_is_reported_by_name()
    {
        var errors = Errors("""
            {"host":"bad host!","port":70000,"security":"tls","username":"a\r\nb","from":"nas@example.net\r\nBcc: x@evil",
             "recipients":["ops@example.net","not an address"],"minimumSeverity":"resolved","enabled":1,
             "trustedCertificateThumbprint":"abc","skipCertificateVerification":"no","tls":true}
            """);
        Assert.Equal(
            ["enabled", "from", "host", "minimumSeverity", "port", "recipients", "security", "skipCertificateVerification", "tls", "trustedCertificateThumbprint", "username"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Required_fields_are_named_when_missing()
    {
        var errors = Errors("{}");
        Assert.Equal(["from", "host", "recipients"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Thumbprints_are_normalized_to_upper_case_hex()
    {
        var sha256 = string.Join(':', Enumerable.Repeat("ab", 32));
        var settings = Apply($$"""{"host":"h","from":"a@b.c","recipients":["d@e.f"],"trustedCertificateThumbprint":"{{sha256}}"}""", null);
        Assert.Equal(string.Concat(Enumerable.Repeat("AB", 32)), settings.TrustedCertificateThumbprint);
    }

    // The stored password belongs to the server it was given for; AUTH without TLS is refused.

    private const string StoredPassword = "hunter2-original";

    private static string Json(string host, int port, string security, string password) => $$"""
        {"host":"{{host}}","port":{{port}},"security":"{{security}}","username":"alerts"{{password}},"from":"a@b.c","recipients":["d@e.f"]}
        """;

    private static readonly SmtpSettings Stored = Apply(Json("mail.example.net", 587, "starttls", $",\"password\":\"{StoredPassword}\""), null);

    [Theory]
    [InlineData("mail.example.net", 587, "starttls")]
    [InlineData("MAIL.Example.NET", 587, "STARTTLS")]
    public void The_same_server_keeps_the_password_masked_or_omitted(string host, int port, string security)
    {
        Assert.Equal(StoredPassword, Apply(Json(host, port, security, ",\"password\":\"********\""), Stored).Password);
        Assert.Equal(StoredPassword, Apply(Json(host, port, security, ""), Stored).Password);
    }

    [Theory]
    [InlineData("relay.example.net", 587, "starttls")]
    [InlineData("mail.example.net", 2587, "starttls")]
    [InlineData("mail.example.net", 587, "ssl")]
    public void Another_host_port_or_security_drops_the_password_unless_the_request_sets_one(string host, int port, string security)
    {
        var masked = Apply(Json(host, port, security, ",\"password\":\"********\""), Stored);
        Assert.Null(masked.Password);
        Assert.Equal("alerts", masked.Username);
        var view = SmtpSettingsView.Of(masked, OutboxState.Empty, 0);
        Assert.False(view.HasPassword);
        Assert.Null(view.Password);
        Assert.Null(Apply(Json(host, port, security, ""), Stored).Password);
        Assert.Equal("new-password", Apply(Json(host, port, security, ",\"password\":\"new-password\""), Stored).Password);
    }

    [Theory]
    [InlineData(",\"username\":\"alerts\"")]
    [InlineData(",\"username\":\"alerts\",\"password\":\"p4ssword\"")]
    public void A_username_over_security_none_is_refused_naming_the_field_and_why(string credentials)
    {
        var json = $$"""{"host":"relay.lan","security":"none","from":"a@b.c","recipients":["d@e.f"]{{credentials}}}""";
        Assert.Null(SmtpSettingsRequest.Parse(JsonDocument.Parse(json).RootElement, out var errors));
        var error = Assert.Single(errors["username"]);
        Assert.Contains("security none", error);
        Assert.Contains("in the clear", error);
    }

    [Fact]
    public void Security_none_without_credentials_is_still_allowed()
    {
        var settings = Apply("""{"host":"relay.lan","security":"none","from":"a@b.c","recipients":["d@e.f"]}""", null);
        Assert.Equal(SmtpSecurity.None, settings.Security);
        Assert.Null(settings.SendRefusal);
    }

    [Fact]
    public void A_stored_configuration_with_auth_over_none_from_before_is_refused_at_send_time_with_the_reason()
    {
        // Such a configuration can only come from the journal of an older version.
        var legacy = Stored with { Security = SmtpSecurity.None, Port = 25 };
        Assert.Contains("security none", legacy.SendRefusal);
        Assert.Contains("PUT /api/alerts/smtp", legacy.SendRefusal);
        Assert.Null(Stored.SendRefusal);
    }

    [Fact]
    public void A_username_whose_password_was_dropped_is_refused_at_send_time_and_says_to_set_it_again()
    {
        var moved = Apply(Json("other.example", 587, "starttls", ",\"password\":\"********\""), Stored);
        Assert.Null(moved.Password);
        Assert.StartsWith("no password stored for user 'alerts'", moved.SendRefusal);
        Assert.Contains("PUT /api/alerts/smtp with the password", moved.SendRefusal);
    }
}
