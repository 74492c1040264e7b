using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>A webhook as the API shows it: never the secret (only <see cref="HasSecret"/>), header values masked.</summary>
public sealed record WebhookView(
    int Id,
    string Name,
    string Url,
    IReadOnlyList<string> Events,
    Severity MinimumSeverity,
    bool Enabled,
    IReadOnlyDictionary<string, string> Headers,
    bool HasSecret,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DeliveryView Delivery)
{
    public static WebhookView Of(Webhook webhook, OutboxState outbox) => new(
        webhook.Id,
        webhook.Name,
        webhook.Url,
        webhook.Events,
        webhook.MinimumSeverity,
        webhook.Enabled,
        webhook.Headers.ToDictionary(h => h.Key, _ => SecretInput.Mask),
        webhook.Secret is not null,
        webhook.CreatedAt,
        webhook.UpdatedAt,
        DeliveryView.Of(outbox, webhook.Id));
}

/// <summary>The answer to a list request.</summary>
public sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks);
