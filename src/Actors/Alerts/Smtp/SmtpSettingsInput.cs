namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>
/// A checked replacement of the SMTP configuration (the gateway parses and checks the request
/// body). Omitted optional fields took their defaults, except the password, which is kept when
/// omitted or sent back as <see cref="SecretInput.Mask"/> as long as host, port and security stay
/// the same (it was given for that server), cleared by null or "".
/// </summary>
public sealed record SmtpSettingsInput(
    string Host,
    int Port,
    SmtpSecurity Security,
    string? Username,
    SecretInput Password,
    string From,
    IReadOnlyList<string> Recipients,
    Severity MinimumSeverity,
    bool Enabled,
    string? TrustedCertificateThumbprint,
    bool SkipCertificateVerification)
{
    /// <summary>
    /// The configuration this input makes of <paramref name="stored"/>, or why not. A kept
    /// (masked or omitted) password survives only on the same host, port and security.
    /// </summary>
    public (SmtpSettings? Accepted, SinkReply.Invalid? Rejected) ApplyTo(SmtpSettings? stored, DateTimeOffset now)
    {
        var password = Password.ApplyTo(stored is not null && stored.SameServer(Host, Port, Security) ? stored.Password : null);
        if (password is not null && Username is null)
            return (null, new SinkReply.Invalid(new Dictionary<string, string[]> { ["username"] = ["is required when a password is set"] }));
        return (new SmtpSettings(Host, Port, Security, Username, password, From, Recipients, MinimumSeverity, Enabled,
            TrustedCertificateThumbprint, SkipCertificateVerification, now), null);
    }
}
