using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.Gateway.Alerts;

/// <summary>
/// Reads a webhook create or replace body into a <see cref="WebhookInput"/>, checked field by field.
/// PUT replaces the whole webhook: omitted optional fields take their defaults, except the write-only
/// ones (the secret and each header value), which are kept when omitted or sent back as <see cref="SecretInput.Mask"/>.
/// </summary>
public static class WebhookRequest
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 2048;
    public const int MaxHeaders = 20;
    public const int MaxHeaderNameLength = 64;
    public const int MaxHeaderValueLength = 2048;
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 1024;

    public static readonly IReadOnlyList<string> Fields = ["name", "url", "events", "minimumSeverity", "enabled", "headers", "secret"];
    public static readonly IReadOnlyList<string> ReadOnlyFields = ["id", "hasSecret", "createdAt", "updatedAt", "delivery"];

    /// <summary>Headers the daemon owns or that would break HTTP framing; a webhook cannot set them.</summary>
    public static readonly IReadOnlySet<string> ForbiddenHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection",
        "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Upgrade", "Expect",
    };

    /// <summary>Parses and checks <paramref name="body"/>; on any error returns null and the errors by field.</summary>
    public static WebhookInput? Parse(JsonElement body, bool allowLinkLocalTargets, out IDictionary<string, string[]> errors)
    {
        var fields = new RequestFields(body);
        fields.RejectUnknown(Fields.ToList(), ReadOnlyFields.ToList());

        var name = fields.RequiredString("name");
        if (name is not null && name.Length > MaxNameLength) fields.Error("name", $"must be at most {MaxNameLength} characters");
        if (name is not null && RequestFields.HasControlCharacters(name)) fields.Error("name", "must not contain control characters");

        var url = fields.RequiredString("url");
        if (url is not null && CheckUrl(url, allowLinkLocalTargets) is { } urlError) fields.Error("url", urlError);

        var events = NormalizeEvents(fields);

        var severity = Severity.Warning;
        if (fields.String("minimumSeverity") is { } severityText && !SeverityThreshold.TryParse(severityText, out severity))
            fields.Error("minimumSeverity", $"must be {SeverityThreshold.Allowed}");

        var enabled = fields.Bool("enabled") ?? true;
        var headers = CheckHeaders(fields);

        var secret = fields.Secret("secret");
        if (secret.Action == SecretInput.Change.Set)
        {
            if (secret.Value!.Length is < MinSecretLength or > MaxSecretLength)
                fields.Error("secret", $"must be {MinSecretLength} to {MaxSecretLength} characters");
            if (RequestFields.HasControlCharacters(secret.Value)) fields.Error("secret", "must not contain control characters");
            if (StandardWebhookSignature.FormProblem(secret.Value) is { } form) fields.Error("secret", form);
        }

        errors = fields.Errors;
        return fields.IsValid ? new WebhookInput(name!, url!, events, severity, enabled, headers, secret) : null;
    }

    /// <summary>Null when <paramref name="url"/> may be a webhook target, else why not.</summary>
    public static string? CheckUrl(string url, bool allowLinkLocalTargets)
    {
        if (url.Length > MaxUrlLength) return $"must be at most {MaxUrlLength} characters";
        if (url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return "must not contain spaces or control characters";
        // On Linux "/path" parses as an absolute file: URI; the scheme check refuses it with the rest.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return "must be an absolute http:// or https:// URL";
        if (string.IsNullOrEmpty(uri.Host)) return "must name a host";
        if (uri.UserInfo.Length > 0) return "must not carry credentials (user:password@); use a header or the secret";
        if (uri.Fragment.Length > 0) return "must not have a fragment (#…)";
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && System.Net.IPAddress.TryParse(uri.IdnHost, out var address)
            && TargetAddressPolicy.Refusal(address, allowLinkLocalTargets) is { } refusal)
            return refusal;
        return null;
    }

    private const int MaxEventPatterns = 50;

    private static IReadOnlyList<string> NormalizeEvents(RequestFields fields)
    {
        var given = fields.StringArray("events");
        if (given is null) return EventTypePattern.All.Patterns;
        if (given.Count == 0)
        {
            fields.Error("events", "must list at least one event type pattern; [\"*\"] means every event");
            return given;
        }
        if (EventTypePattern.CountError(given.Count, MaxEventPatterns) is { } tooMany) fields.Error("events", tooMany);
        var patterns = given.Select(EventTypePattern.Normalize).Distinct().ToList();
        foreach (var pattern in patterns)
            if (EventTypePattern.Error(pattern) is { } problem) fields.Error("events", problem);
        return patterns;
    }

    private static IReadOnlyList<KeyValuePair<string, SecretInput>> CheckHeaders(RequestFields fields)
    {
        var given = fields.StringMap("headers");
        if (given is null) return [];
        if (given.Count > MaxHeaders) fields.Error("headers", $"must hold at most {MaxHeaders} headers");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var headers = new List<KeyValuePair<string, SecretInput>>();
        foreach (var (name, value) in given)
        {
            var field = $"headers.{name}";
            if (name.Length is 0 or > MaxHeaderNameLength || !name.All(IsTokenChar))
                fields.Error(field, $"is not a valid header name (1 to {MaxHeaderNameLength} letters, digits or !#$%&'*+-.^_`|~)");
            else if (ForbiddenHeaders.Contains(name) || name.StartsWith("X-DPlaneOS-", StringComparison.OrdinalIgnoreCase))
                fields.Error(field, "is set by the daemon or is hop-by-hop, and cannot be configured");
            else if (!seen.Add(name))
                fields.Error(field, "is given twice");
            if (value.Length is 0 or > MaxHeaderValueLength)
                fields.Error(field, $"value must be 1 to {MaxHeaderValueLength} characters");
            else if (value.Any(c => c != '\t' && (c < ' ' || c > '~')))
                fields.Error(field, "value must be printable ASCII (no CR, LF or other control characters)");
            headers.Add(KeyValuePair.Create(name, value == SecretInput.Mask ? SecretInput.Keep : SecretInput.Set(value)));
        }
        return headers;
    }

    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' || "!#$%&'*+-.^_`|~".Contains(c);
}
