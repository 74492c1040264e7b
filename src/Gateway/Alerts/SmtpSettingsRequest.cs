using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using MimeKit;

namespace DPlaneOS.Gateway.Alerts;

/// <summary>
/// Reads a PUT of the SMTP configuration into an <see cref="SmtpSettingsInput"/>, checked field by
/// field. A username (AUTH) needs TLS: security none with a username is refused.
/// </summary>
public static class SmtpSettingsRequest
{
    public const int MaxRecipients = 50;
    public const int MaxTextLength = 320;

    public static readonly IReadOnlyList<string> Fields =
    [
        "host", "port", "security", "username", "password", "from", "recipients", "minimumSeverity", "enabled",
        "trustedCertificateThumbprint", "skipCertificateVerification",
    ];

    public static readonly IReadOnlyList<string> ReadOnlyFields = ["configured", "hasPassword", "updatedAt", "delivery"];

    public static SmtpSettingsInput? Parse(JsonElement body, out IDictionary<string, string[]> errors)
    {
        var fields = new RequestFields(body);
        fields.RejectUnknown(Fields.ToList(), ReadOnlyFields.ToList());

        var host = fields.RequiredString("host");
        if (host is not null && (host.Length > 253 || Uri.CheckHostName(host) == UriHostNameType.Unknown))
            fields.Error("host", "must be a host name or an IP address");

        var security = SmtpSecurity.StartTls;
        if (fields.String("security") is { } securityText)
        {
            switch (securityText.Trim().ToLowerInvariant())
            {
                case "none": security = SmtpSecurity.None; break;
                case "starttls": security = SmtpSecurity.StartTls; break;
                case "ssl": security = SmtpSecurity.Ssl; break;
                default: fields.Error("security", "must be none, starttls or ssl"); break;
            }
        }

        var port = fields.Int("port") ?? SmtpSettings.DefaultPort(security);
        if (port is < 1 or > 65535) fields.Error("port", "must be between 1 and 65535");

        var username = fields.String("username") is { Length: > 0 } user ? user : null;
        if (username is not null && (username.Length > MaxTextLength || RequestFields.HasControlCharacters(username)))
            fields.Error("username", $"must be at most {MaxTextLength} characters without control characters");

        if (username is not null && security == SmtpSecurity.None)
            fields.Error("username", "must not be set with security none: SMTP AUTH without TLS would send the password in the clear; use starttls or ssl");

        var password = fields.Secret("password");
        if (password.Action == SecretInput.Change.Set && (password.Value!.Length > 1024 || RequestFields.HasControlCharacters(password.Value)))
            fields.Error("password", "must be at most 1024 characters without control characters");

        var from = fields.RequiredString("from");
        if (from is not null && CheckAddress(from) is { } fromError) fields.Error("from", fromError);

        var recipients = fields.StringArray("recipients")?.Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (recipients is null or { Count: 0 })
        {
            if (!fields.Errors.ContainsKey("recipients")) fields.Error("recipients", "must list at least one address");
        }
        else
        {
            if (recipients.Count > MaxRecipients) fields.Error("recipients", $"must list at most {MaxRecipients} addresses");
            foreach (var recipient in recipients)
                if (CheckAddress(recipient) is { } problem) fields.Error("recipients", $"'{recipient}' {problem}");
        }

        var severity = Severity.Warning;
        if (fields.String("minimumSeverity") is { } severityText && !SeverityThreshold.TryParse(severityText, out severity))
            fields.Error("minimumSeverity", $"must be {SeverityThreshold.Allowed}");

        var thumbprint = NormalizeThumbprint(fields.String("trustedCertificateThumbprint"));
        if (thumbprint is not null && (thumbprint.Length is not (40 or 64) || !thumbprint.All(Uri.IsHexDigit)))
            fields.Error("trustedCertificateThumbprint", "must be a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) certificate thumbprint");

        var enabled = fields.Bool("enabled") ?? true;
        var skip = fields.Bool("skipCertificateVerification") ?? false;

        errors = fields.Errors;
        return fields.IsValid
            ? new SmtpSettingsInput(host!, port, security, username, password, from!, recipients!, severity, enabled, thumbprint, skip)
            : null;
    }

    private static string? CheckAddress(string address)
    {
        if (address.Length > MaxTextLength || RequestFields.HasControlCharacters(address)) return $"must be at most {MaxTextLength} characters without control characters";
        if (!MailboxAddress.TryParse(address, out var mailbox) || !mailbox.Address.Contains('@')) return "is not a valid e-mail address";
        return null;
    }

    private static string? NormalizeThumbprint(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : new string(text.Where(c => c is not (':' or ' ' or '-')).ToArray()).ToUpperInvariant();
}
