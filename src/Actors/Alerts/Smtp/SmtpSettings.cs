namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>How the connection is secured. Every mode other than <see cref="None"/> fails rather than fall back to clear text.</summary>
public enum SmtpSecurity
{
    /// <summary>Clear text (a relay on the LAN); a server's STARTTLS offer is not taken.</summary>
    None,

    /// <summary>STARTTLS required (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, port 465).</summary>
    Ssl,
}

/// <summary>The stored SMTP configuration. <see cref="Password"/> is write-only: stored, never returned or logged.</summary>
/// <param name="TrustedCertificateThumbprint">
/// A server certificate accepted even though it does not verify (a self-signed relay): its SHA-256
/// (64 hex digits) or SHA-1 (40) thumbprint.
/// </param>
/// <param name="SkipCertificateVerification">Lab use only: accept any server certificate. Default off: certificates are verified.</param>
public sealed record SmtpSettings(
    string Host,
    int Port,
    SmtpSecurity Security,
    string? Username,
    string? Password,
    string From,
    IReadOnlyList<string> Recipients,
    Severity MinimumSeverity,
    bool Enabled,
    string? TrustedCertificateThumbprint,
    bool SkipCertificateVerification,
    DateTimeOffset UpdatedAt)
{
    public string Describe() => $"SMTP {Host}:{Port}";

    /// <summary>
    /// Why these settings may not send, or null when they may. A login over
    /// <see cref="SmtpSecurity.None"/> would put the password on the wire in the clear: today's PUT
    /// refuses such settings, only a journal written by an older version holds them; they load (the
    /// daemon starts, GET shows them) but every delivery and test fails with this text until they are
    /// changed. A username without a password (the stored one is dropped when the server changes) would
    /// only show the new server a failed login: nothing is sent until the password is set again.
    /// </summary>
    public string? SendRefusal => Username is null ? null
        : Security == SmtpSecurity.None
            ? "refused to log in with security none: SMTP AUTH without TLS would send the password in the clear; " +
              "PUT /api/alerts/smtp with security starttls or ssl, or without a username"
            : Password is null
                ? $"no password stored for user '{Username}' (a stored password is dropped when host, port or security change); " +
                  "PUT /api/alerts/smtp with the password"
                : null;

    /// <summary>Whether a stored password given for these settings may be used with <paramref name="host"/>, <paramref name="port"/> and <paramref name="security"/>.</summary>
    public bool SameServer(string host, int port, SmtpSecurity security) =>
        string.Equals(Host, host, StringComparison.OrdinalIgnoreCase) && Port == port && Security == security;

    /// <summary>Without the password: records can reach logs.</summary>
    public override string ToString() =>
        $"SmtpSettings {{ Host = {Host}, Port = {Port}, Security = {Security}, Username = {Username}, HasPassword = {Password is not null}, Enabled = {Enabled} }}";

    public static string SecurityName(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => "none",
        SmtpSecurity.StartTls => "starttls",
        _ => "ssl",
    };

    public static int DefaultPort(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => 25,
        SmtpSecurity.StartTls => 587,
        _ => 465,
    };
}
