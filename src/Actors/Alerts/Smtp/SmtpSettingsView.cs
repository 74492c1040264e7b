using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>The SMTP configuration as the API shows it: the password only as <see cref="SecretInput.Mask"/>.</summary>
public sealed record SmtpSettingsView(
    bool Configured,
    string? Host,
    int? Port,
    string? Security,
    string? Username,
    string? Password,
    bool HasPassword,
    string? From,
    IReadOnlyList<string> Recipients,
    Severity? MinimumSeverity,
    bool Enabled,
    string? TrustedCertificateThumbprint,
    bool SkipCertificateVerification,
    DateTimeOffset? UpdatedAt,
    DeliveryView Delivery)
{
    public static SmtpSettingsView Of(SmtpSettings? settings, OutboxState outbox, int target) => settings is null
        ? new(false, null, null, null, null, null, false, null, [], null, false, null, false, null, DeliveryView.Of(outbox, target))
        : new(true, settings.Host, settings.Port, SmtpSettings.SecurityName(settings.Security), settings.Username,
            SecretInput.Show(settings.Password), settings.Password is not null, settings.From, settings.Recipients,
            settings.MinimumSeverity, settings.Enabled, settings.TrustedCertificateThumbprint, settings.SkipCertificateVerification,
            settings.UpdatedAt, DeliveryView.Of(outbox, target));
}
