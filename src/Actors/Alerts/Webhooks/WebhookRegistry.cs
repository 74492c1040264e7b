using System.Collections.Immutable;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>The registered webhooks, rebuilt from the journal. Immutable; decisions are pure functions.</summary>
public sealed record WebhookRegistry(ImmutableSortedDictionary<int, Webhook> Webhooks, int NextId)
{
    public static readonly WebhookRegistry Empty = new(ImmutableSortedDictionary<int, Webhook>.Empty, 1);

    public Webhook? Find(int id) => Webhooks.GetValueOrDefault(id);

    /// <summary>The webhook <paramref name="request"/> creates, or why it cannot.</summary>
    public (Webhook? Accepted, SinkReply? Rejected) Create(WebhookInput request, DateTimeOffset now)
    {
        if (NameTaken(request.Name, exceptId: null) is { } clash) return (null, clash);
        var secrets = WebhookUpdate.Merge(null, request);
        if (secrets.Errors is not null) return (null, secrets.Errors);
        return (new Webhook(NextId, request.Name, request.Url, request.Events, request.MinimumSeverity, request.Enabled, secrets.Headers, secrets.Secret, now, now), null);
    }

    /// <summary>
    /// Webhook <paramref name="id"/> as <paramref name="request"/> replaces it, or why it cannot. A
    /// new URL origin drops the kept secret and header values (<see cref="WebhookUpdate"/>).
    /// </summary>
    public (Webhook? Accepted, SinkReply? Rejected) Replace(int id, WebhookInput request, DateTimeOffset now)
    {
        if (Find(id) is not { } stored) return (null, new SinkReply.NotFound($"No webhook with id {id}"));
        if (NameTaken(request.Name, exceptId: id) is { } clash) return (null, clash);
        var secrets = WebhookUpdate.Merge(stored, request);
        if (secrets.Errors is not null) return (null, secrets.Errors);
        return (stored with
        {
            Name = request.Name,
            Url = request.Url,
            Events = request.Events,
            MinimumSeverity = request.MinimumSeverity,
            Enabled = request.Enabled,
            Headers = secrets.Headers,
            Secret = secrets.Secret,
            UpdatedAt = now,
        }, null);
    }

    public WebhookRegistry Put(Webhook webhook) =>
        new(Webhooks.SetItem(webhook.Id, webhook), Math.Max(NextId, webhook.Id + 1));

    public WebhookRegistry Remove(int id) => this with { Webhooks = Webhooks.Remove(id) };

    private SinkReply.Conflict? NameTaken(string name, int? exceptId) =>
        Webhooks.Values.FirstOrDefault(w => w.Id != exceptId && string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase)) is { } other
            ? new SinkReply.Conflict($"The name '{name}' is already used by webhook {other.Id}")
            : null;
}
