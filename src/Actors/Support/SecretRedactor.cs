using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DPlaneOS.Actors.Support;

/// <summary>
/// Masks known secrets in text: each in plain form, JSON-escaped, as hex (either case) and as
/// base64 (standard with and without padding, and URL-safe). On top, patterns that are secret
/// whatever their value: any daemon API token (<c>dpl_…</c>), <c>Password=…</c> in connection
/// strings and <c>Authorization: Bearer …</c>. Secrets shorter than <see cref="MinimumLength"/>
/// characters are not searched for (masking every "ab" would ruin the text); settings still hide
/// them, because <see cref="SecretSettings"/> masks by setting name.
/// </summary>
public sealed partial class SecretRedactor
{
    public const int MinimumLength = 4;

    private readonly List<(string Form, string Mask, StringComparison Comparison)> _forms;

    public SecretRedactor(IEnumerable<SecretValue> secrets)
    {
        var forms = new Dictionary<string, (string Mask, StringComparison Comparison)>(StringComparer.Ordinal);
        var count = 0;
        foreach (var secret in secrets)
        {
            if (secret.Bytes.Length == 0 || (secret.Text is { } t && t.Length < MinimumLength) || (secret.Text is null && secret.Bytes.Length < 2))
            {
                TooShort++;
                continue;
            }
            count++;
            var mask = $"[REDACTED:{Clean(secret.Label)}]";
            foreach (var form in TextForms(secret)) forms.TryAdd(form, (mask, StringComparison.Ordinal));
            forms.TryAdd(Convert.ToHexString(secret.Bytes), (mask, StringComparison.OrdinalIgnoreCase));
        }
        Secrets = count;
        // Longest first, so a form that contains another is masked whole.
        _forms = forms.OrderByDescending(f => f.Key.Length).Select(f => (f.Key, f.Value.Mask, f.Value.Comparison)).ToList();
    }

    /// <summary>How many secrets are searched for.</summary>
    public int Secrets { get; }

    /// <summary>How many were too short to search for.</summary>
    public int TooShort { get; }

    public string Redact(string text)
    {
        foreach (var (form, mask, comparison) in _forms)
        {
            if (text.Contains(form, comparison)) text = text.Replace(form, mask, comparison);
        }
        text = ApiToken().Replace(text, "[REDACTED:api-token]");
        text = PasswordSetting().Replace(text, "$1[REDACTED]");
        return BearerHeader().Replace(text, "$1[REDACTED]");
    }

    private static IEnumerable<string> TextForms(SecretValue secret)
    {
        var base64 = Convert.ToBase64String(secret.Bytes);
        var plain = secret.Text is null ? [] : new[] { secret.Text };
        foreach (var form in plain.Concat([base64, base64.TrimEnd('='), base64.TrimEnd('=').Replace('+', '-').Replace('/', '_')]))
        {
            yield return form;
            // What System.Text.Json writes for it, with the default and the relaxed encoder.
            yield return JsonEncodedText.Encode(form).ToString();
            yield return JsonEncodedText.Encode(form, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        }
    }

    private static string Clean(string label) => LabelUnsafe().Replace(label, "-");

    [GeneratedRegex("dpl_[A-Za-z0-9_-]{16,}")]
    private static partial Regex ApiToken();

    [GeneratedRegex(@"(?i)\b((?:password|pwd|psw)\s*=\s*)[^;\s""']+")]
    private static partial Regex PasswordSetting();

    [GeneratedRegex(@"(?i)(authorization:\s*bearer\s+)[^\s""']+")]
    private static partial Regex BearerHeader();

    [GeneratedRegex("[^A-Za-z0-9:._ -]")]
    private static partial Regex LabelUnsafe();
}
