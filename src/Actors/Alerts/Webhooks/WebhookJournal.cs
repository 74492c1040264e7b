using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>The webhook registry's journal records (the outbox adds <see cref="OutboxJournal"/>'s).</summary>
public static class WebhookJournal
{
    [PersistedAs("alerts.webhook-created.v1")]
    public sealed record WebhookCreated(Webhook Webhook) : IPersistedEvent;

    [PersistedAs("alerts.webhook-updated.v1")]
    public sealed record WebhookUpdated(Webhook Webhook) : IPersistedEvent;

    /// <summary>The webhook and its pending deliveries are gone.</summary>
    [PersistedAs("alerts.webhook-deleted.v1")]
    public sealed record WebhookDeleted(int Id, DateTimeOffset At) : IPersistedEvent;

    [PersistedAs("alerts.webhooks-snapshot.v1")]
    public sealed record WebhooksSnapshot(IReadOnlyList<Webhook> Webhooks, int NextId, OutboxSnapshot Outbox) : IPersistedEvent;
}
