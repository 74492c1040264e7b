using System.Text.RegularExpressions;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// Keeps secrets out of audit details: a value whose name looks like a secret is replaced by
/// <see cref="Mask"/>; a bearer token is masked wherever it appears, and every URL is cut to its
/// origin (<c>scheme://host[:port]</c>): chat webhooks (Slack, Discord, Telegram) carry their token
/// in the path, others in the query or user:password. Over-masking (e.g. <c>keylocation</c>,
/// <c>passthrough</c>) is accepted: the chain is forever, a leaked secret too.
/// </summary>
public static partial class AuditRedaction
{
    public const string Mask = "***";
    public const int MaxValueLength = 256;

    private static readonly string[] SensitiveParts =
    [
        "pass", "pwd", "secret", "token", "key", "credential", "auth", "cookie",
        "session", "signature", "private",
    ];

    /// <summary>True for names such as <c>password</c>, <c>smtpPassword</c>, <c>webhook_secret</c>, <c>api-key</c>, <c>access_token</c>.</summary>
    public static bool IsSensitiveName(string name)
    {
        var folded = new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return SensitiveParts.Any(part => folded.Contains(part, StringComparison.Ordinal));
    }

    /// <summary>The value as it may be recorded under <paramref name="name"/>.</summary>
    public static string Value(string name, string? value)
    {
        if (IsSensitiveName(name)) return Mask;
        if (value is null) return "";
        var cleaned = UrlBeyondOrigin().Replace(value, "${scheme}${host}");
        cleaned = BearerLike().Replace(cleaned, Mask);
        return cleaned.Length <= MaxValueLength ? cleaned : cleaned[..MaxValueLength] + "…";
    }

    /// <summary>Sanitizes every entry of a free-form map (event data, query strings).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Entries(string prefix, IEnumerable<KeyValuePair<string, string?>> entries) =>
        entries.Select(e => KeyValuePair.Create(prefix + e.Key, Value(e.Key, e.Value)));

    // scheme://[userinfo@]host[:port] then anything up to whitespace (path, query, fragment): only scheme and host[:port] stay.
    [GeneratedRegex(@"(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^/?#\s]*@)?(?<host>[^/?#\s@]*)\S*")]
    private static partial Regex UrlBeyondOrigin();

    // Our API tokens (dpl_…) and anything presented as "Bearer …".
    [GeneratedRegex(@"(dpl_[A-Za-z0-9_-]{8,}|(?i:bearer)\s+\S+)")]
    private static partial Regex BearerLike();
}
