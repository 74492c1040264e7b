using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Alerts;

/// <summary>A condition as <c>GET /api/alerts</c> shows it.</summary>
/// <param name="Notified">Whether anybody has been told yet (false while the hysteresis window runs).</param>
/// <param name="Data">The data of the newest event for the condition.</param>
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
    DateTimeOffset LastEventTime,
    IReadOnlyDictionary<string, string> Data)
{
    public static ActiveAlert From(AlertCondition condition) => new(
        condition.Key, condition.Type, condition.Subject, condition.Severity, condition.FirstSeen, condition.LastNotified,
        condition.Notified, condition.NotifiedSeverity, condition.LastEvent.Id, condition.LastEvent.Time, condition.LastEvent.Data);
}
