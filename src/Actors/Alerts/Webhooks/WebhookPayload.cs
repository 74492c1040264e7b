using System.Text.Json;
using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// The JSON body of a webhook POST (UTF-8, fields in this order):
/// <code>
/// { "id": notification id (also X-DPlaneOS-Delivery), "kind": "raised|escalated|repeated|resolved|test",
///   "severity": "info|warning|critical|resolved", "type": "pool.degraded", "subject": "tank",
///   "node": host name, "time": event time (ISO 8601), "notifiedAt": when the router notified,
///   "key": "type|subject", "eventId": the MonitorEvent id, "data": { string: string } }
/// </code>
/// </summary>
public static class WebhookPayload
{
    public static byte[] Render(AlertMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", message.Id);
            json.WriteString("kind", message.Kind);
            json.WriteString("severity", SeverityThreshold.Name(message.Severity));
            json.WriteString("type", message.Type);
            json.WriteString("subject", message.Subject);
            json.WriteString("node", message.Node);
            json.WriteString("time", message.Time);
            json.WriteString("notifiedAt", message.At);
            json.WriteString("key", message.Key);
            json.WriteString("eventId", message.EventId);
            json.WriteStartObject("data");
            foreach (var (name, value) in message.Data.OrderBy(d => d.Key, StringComparer.Ordinal)) json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
