namespace DPlaneOS.Actors.Alerts;

/// <summary>A condition as <c>GET /api/alerts</c> shows it.</summary>
/// <param name="Type">The condition: the event type without a level suffix (<c>capacity</c> for <c>capacity.warning</c>).</param>
/// <param name="LastEventType">The type of the newest event, level included.</param>
/// <param name="Notified">Whether anybody has been told yet (false while the hysteresis window runs).</param>
/// <param name="Data">The data of the newest event for the condition.</param>
/// <param name="SilencedUntil">While a silence holds its notices back, when that silence ends; null otherwise.</param>
public sealed record ActiveAlert(
    string Key,
    string Type,
    string Subject,
    Severity Severity,
    DateTimeOffset FirstSeen,
    DateTimeOffset? LastNotified,
    bool Notified,
    Severity? NotifiedSeverity,
    string LastEventId,
    string LastEventType,
    DateTimeOffset LastEventTime,
    IReadOnlyDictionary<string, string> Data,
    DateTimeOffset? SilencedUntil)
{
    public static ActiveAlert From(AlertCondition condition, AlertRouterState state, DateTimeOffset now) => new(
        condition.Key, condition.Type, condition.Subject, condition.Severity, condition.FirstSeen, condition.LastNotified,
        condition.Notified, condition.NotifiedSeverity, condition.LastEvent.Id, condition.LastEvent.Type, condition.LastEvent.Time, condition.LastEvent.Data,
        state.SilencedUntil(condition, now));
}
