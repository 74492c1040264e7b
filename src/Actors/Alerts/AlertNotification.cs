namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// What the alert router decided people must be told, after debounce: the first notice of a
/// condition, an escalation, a repeat after the cooldown, or its resolution. Sinks (WebSocket,
/// webhooks, SMTP) subscribe to <see cref="AlertBus.Topic"/> and deliver each one exactly once.
/// </summary>
/// <param name="Id">Unique per notification; a sink's idempotency key.</param>
/// <param name="Key">The condition: <c>condition|subject</c>, where the condition is the event type without a level suffix (<c>AlertRouterState.KeyOf</c>).</param>
/// <param name="Kind">Why it goes out now.</param>
/// <param name="Severity">Warning, Critical, or Resolved.</param>
/// <param name="Event">The event that triggered it.</param>
public sealed record AlertNotification(string Id, string Key, AlertNotificationKind Kind, Severity Severity, MonitorEvent Event, DateTimeOffset At);

public enum AlertNotificationKind
{
    /// <summary>The condition held for the hysteresis window.</summary>
    Raised,

    /// <summary>Warning became critical: sent at once.</summary>
    Escalated,

    /// <summary>Still true after the cooldown.</summary>
    Repeated,

    /// <summary>A notified condition cleared.</summary>
    Resolved,
}
