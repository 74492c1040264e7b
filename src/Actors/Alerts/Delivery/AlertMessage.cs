namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>
/// An <see cref="AlertNotification"/> as a sink keeps it in its outbox: flat, serializable, and
/// renderable after a restart without the original objects.
/// </summary>
/// <param name="Id">The notification id: the idempotency key receivers see.</param>
/// <param name="Kind"><c>raised</c>, <c>escalated</c>, <c>repeated</c>, <c>resolved</c>, or <c>test</c>.</param>
/// <param name="Time">When the event was observed.</param>
/// <param name="At">When the router decided to notify.</param>
public sealed record AlertMessage(
    string Id,
    string Key,
    string Kind,
    Severity Severity,
    string EventId,
    string Type,
    string Subject,
    string Node,
    DateTimeOffset Time,
    DateTimeOffset At,
    IReadOnlyDictionary<string, string> Data)
{
    public const string TestKind = "test";

    /// <summary>A resolution goes only to the sinks that were told about the condition.</summary>
    public bool IsResolution => Severity == Severity.Resolved || Kind == "resolved";

    public static AlertMessage From(AlertNotification notification) => new(
        notification.Id,
        notification.Key,
        notification.Kind.ToString().ToLowerInvariant(),
        notification.Severity,
        notification.Event.Id,
        notification.Event.Type,
        notification.Event.Subject,
        notification.Event.Node,
        notification.Event.Time,
        notification.At,
        notification.Event.Data);

    /// <summary>A synthetic message for a sink's test route; never queued.</summary>
    public static AlertMessage Test(string type, string subject, string node, DateTimeOffset now, IReadOnlyDictionary<string, string> data)
    {
        var id = "test-" + Guid.NewGuid().ToString("N");
        return new(id, $"{type}|{subject}", TestKind, Severity.Info, id, type, subject, node, now, now, data);
    }
}
