namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// A checked create or replace of a webhook (the gateway parses and checks the request body). PUT
/// replaces the whole webhook: omitted optional fields took their defaults, except the write-only
/// ones (the secret and each header value), which are <see cref="SecretInput.Keep"/> when omitted
/// or sent back masked.
/// </summary>
public sealed record WebhookInput(
    string Name,
    string Url,
    IReadOnlyList<string> Events,
    Severity MinimumSeverity,
    bool Enabled,
    IReadOnlyList<KeyValuePair<string, SecretInput>> Headers,
    SecretInput Secret)
{
    /// <summary>Without the URL (its path or query may hold a token) or any value: messages can reach logs.</summary>
    public override string ToString() =>
        $"WebhookInput {{ Name = {Name}, Events = [{string.Join(", ", Events)}], Enabled = {Enabled}, Headers = [{string.Join(", ", Headers.Select(h => h.Key))}], Secret = {Secret} }}";
}
