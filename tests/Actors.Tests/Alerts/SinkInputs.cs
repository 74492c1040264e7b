using System.Text.Json;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>
/// Builds the sinks' inputs from well-formed JSON, as the gateway's request readers would, so the
/// tests keep their bodies readable. It checks nothing: checking is the gateway's, tested in Gateway.Tests.
/// </summary>
internal static class SinkInputs
{
    public static WebhookInput Webhook(string json)
    {
        var body = JsonDocument.Parse(json).RootElement;
        return new WebhookInput(
            Text(body, "name")!,
            Text(body, "url")!,
            body.TryGetProperty("events", out var events) ? events.EnumerateArray().Select(e => e.GetString()!.Trim().ToLowerInvariant()).Distinct().ToList() : ["*"],
            SeverityOf(body),
            Flag(body, "enabled") ?? true,
            body.TryGetProperty("headers", out var headers)
                ? headers.EnumerateObject().Select(h => KeyValuePair.Create(h.Name, h.Value.GetString() == SecretInput.Mask ? SecretInput.Keep : SecretInput.Set(h.Value.GetString()!))).ToList()
                : [],
            Secret(body, "secret"));
    }

    public static SmtpSettingsInput Smtp(string json)
    {
        var body = JsonDocument.Parse(json).RootElement;
        var security = Text(body, "security") switch
        {
            "none" => SmtpSecurity.None,
            "ssl" => SmtpSecurity.Ssl,
            _ => SmtpSecurity.StartTls,
        };
        return new SmtpSettingsInput(
            Text(body, "host")!,
            body.TryGetProperty("port", out var port) ? port.GetInt32() : SmtpSettings.DefaultPort(security),
            security,
            Text(body, "username") is { Length: > 0 } username ? username : null,
            Secret(body, "password"),
            Text(body, "from")!,
            body.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            SeverityOf(body),
            Flag(body, "enabled") ?? true,
            Text(body, "trustedCertificateThumbprint"),
            Flag(body, "skipCertificateVerification") ?? false);
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Flag(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static Severity SeverityOf(JsonElement body) =>
        SeverityThreshold.TryParse(Text(body, "minimumSeverity"), out var severity) ? severity : Severity.Warning;

    private static SecretInput Secret(JsonElement body, string name) =>
        SecretInput.FromRequest(body.TryGetProperty(name, out var value), value.ValueKind == JsonValueKind.String ? value.GetString() : null);
}
