using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// A registered webhook as journalled. <see cref="Secret"/> and the header values are write-only:
/// they are stored (the local database is the appliance's own) but never returned or logged.
/// </summary>
/// <param name="Events">Event type patterns, see <see cref="EventTypePattern"/>.</param>
/// <param name="Secret">Signs each body (see <see cref="WebhookSignature"/>); null: unsigned.</param>
public sealed record Webhook(
    int Id,
    string Name,
    string Url,
    IReadOnlyList<string> Events,
    Severity MinimumSeverity,
    bool Enabled,
    IReadOnlyDictionary<string, string> Headers,
    string? Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether a new (not resolving) notification goes to this webhook.</summary>
    public bool Wants(AlertMessage message) =>
        Enabled && SeverityThreshold.Passes(message.Severity, MinimumSeverity) && EventTypePattern.MatchesAny(Events, message.Type);

    public string Describe() => $"webhook {Id} '{Name}'";

    /// <summary>
    /// The values to keep out of a support bundle: the secret, each header value, and the URL when
    /// it has more than an origin (chat webhooks carry their token in the path or query).
    /// </summary>
    public IEnumerable<StoredSecret> StoredSecrets()
    {
        if (Secret is not null) yield return new StoredSecret($"webhook-{Id}-secret", Secret);
        foreach (var (name, value) in Headers) yield return new StoredSecret($"webhook-{Id}-header-{name}", value);
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/") yield return new StoredSecret($"webhook-{Id}-url", Url);
    }

    /// <summary>Without the secret, header values or URL (its path or query may hold a token): records can reach logs.</summary>
    public override string ToString() => $"Webhook {{ Id = {Id}, Name = {Name}, Enabled = {Enabled}, HasSecret = {Secret is not null} }}";
}
