using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace DPlaneOS.Gateway.WebSockets;

/// <summary>
/// The JSON text frames of <c>WS /api/ws/monitor</c>. An event is encoded once, however many clients
/// receive it: on one node every subscriber gets the same instance, so the bytes are cached per instance.
/// </summary>
public static class MonitorFrames
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly ConditionalWeakTable<object, byte[]> Encoded = new();

    /// <summary>The first frame: the subscriptions are live, every event published from now on arrives.</summary>
    public static ReadOnlyMemory<byte> Ready { get; } = "{\"type\":\"ready\"}"u8.ToArray();

    public static ReadOnlyMemory<byte> For(MonitorEvent monitorEvent) =>
        Encoded.GetValue(monitorEvent, e => JsonSerializer.SerializeToUtf8Bytes(EventFrame.From((MonitorEvent)e), Json));

    public static ReadOnlyMemory<byte> For(AlertNotification notification) =>
        Encoded.GetValue(notification, n => JsonSerializer.SerializeToUtf8Bytes(AlertFrame.From((AlertNotification)n), Json));
}

/// <summary>One monitor event: <c>{type, severity, subject, node, time, data, id}</c>.</summary>
public sealed record EventFrame(string Type, Severity Severity, string Subject, string Node, DateTimeOffset Time, IReadOnlyDictionary<string, string> Data, string Id)
{
    public static EventFrame From(MonitorEvent e) => new(e.Type, e.Severity, e.Subject, e.Node, e.Time, e.Data, e.Id);
}

/// <summary>One notification of the alert router: <c>{type:"alert", id, key, kind, severity, time, event}</c>.</summary>
public sealed record AlertFrame(string Type, string Id, string Key, AlertNotificationKind Kind, Severity Severity, DateTimeOffset Time, EventFrame Event)
{
    public static AlertFrame From(AlertNotification n) => new("alert", n.Id, n.Key, n.Kind, n.Severity, n.At, EventFrame.From(n.Event));
}
