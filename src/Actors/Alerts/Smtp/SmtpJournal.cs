using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>The SMTP notifier's journal records (the outbox adds <see cref="OutboxJournal"/>'s).</summary>
public static class SmtpJournal
{
    [PersistedAs("alerts.smtp-settings-changed.v1")]
    public sealed record SmtpSettingsChanged(SmtpSettings Settings) : IPersistedEvent;

    [PersistedAs("alerts.smtp-snapshot.v1")]
    public sealed record SmtpSnapshot(SmtpSettings? Settings, OutboxSnapshot Outbox) : IPersistedEvent;
}
