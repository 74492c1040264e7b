using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>The SMTP notifier's journal records (the outbox adds <see cref="OutboxJournal"/>'s).</summary>
public static class SmtpJournal
{
    /// <summary>New settings replace the old ones whole (the password included; <see cref="SmtpSettings.SameServer"/> decides whether it may be kept).</summary>
    [PersistedAs("alerts.smtp-settings-changed.v1")]
    public sealed record SmtpSettingsChanged(SmtpSettings Settings) : IPersistedEvent;

    /// <summary>The settings and the outbox at once, so recovery does not replay every delivery.</summary>
    [PersistedAs("alerts.smtp-snapshot.v1")]
    public sealed record SmtpSnapshot(SmtpSettings? Settings, OutboxSnapshot Outbox) : IPersistedEvent;
}
