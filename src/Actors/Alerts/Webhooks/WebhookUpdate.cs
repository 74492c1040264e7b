namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// What a create or replace does with the write-only values (the secret, each header value). A
/// value the request keeps (omitted or masked) was given for one receiver: it is kept only while
/// the URL's origin (scheme, host, port) stays the same. Pointing a webhook elsewhere drops the
/// kept values, so a round-tripped form never hands receiver A's credentials to receiver B; values
/// the same request sets again are used as given.
/// </summary>
public static class WebhookUpdate
{
    /// <summary>The values to store, or (Errors) why the request cannot be applied. Never printed: it holds the values.</summary>
    public sealed record Result(string? Secret, IReadOnlyDictionary<string, string> Headers, SinkReply.Invalid? Errors)
    {
        public override string ToString() => $"Result {{ HasSecret = {Secret is not null}, Headers = [{string.Join(", ", Headers.Keys)}] }}";
    }

    /// <summary>The secret and headers <paramref name="request"/> gives a webhook that was <paramref name="stored"/> (null: a new one).</summary>
    public static Result Merge(Webhook? stored, WebhookInput request)
    {
        var keepStored = stored is not null && SameOrigin(stored.Url, request.Url);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, input) in request.Headers)
        {
            var previous = stored?.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (input.Action != SecretInput.Change.Keep)
                headers[name] = input.ApplyTo(previous)!;
            else if (previous is null)
                errors[$"headers.{name}"] = [$"'{SecretInput.Mask}' keeps a stored value, but this webhook has no header '{name}'"];
            else if (keepStored)
                headers[name] = previous;
            // else: the stored value was given for the old origin and is dropped.
        }

        var secret = request.Secret.ApplyTo(keepStored ? stored!.Secret : null);
        return new Result(secret, headers, errors.Count > 0 ? new SinkReply.Invalid(errors) : null);
    }

    /// <summary>
    /// Same scheme, host and effective port: <c>https://x</c> and <c>https://x:443</c> are one
    /// origin; host case and IDN spelling do not matter; anything that does not parse is another origin.
    /// </summary>
    public static bool SameOrigin(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var first)
        && Uri.TryCreate(b, UriKind.Absolute, out var second)
        && string.Equals(first.Scheme, second.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(first.IdnHost, second.IdnHost, StringComparison.OrdinalIgnoreCase)
        && first.Port == second.Port;
}
