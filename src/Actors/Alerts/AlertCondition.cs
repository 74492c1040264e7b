using System.Text.Json.Serialization;

namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// One warning or critical condition the router tracks, keyed by <c>condition|subject</c>. It is pending
/// until it has held for the hysteresis window, then notified; it ends when it resolves.
/// </summary>
/// <param name="Type">The condition (<see cref="AlertRouterState.ConditionOf"/>): the event type without a level suffix.</param>
/// <param name="Severity">The condition's current severity (Warning or Critical).</param>
/// <param name="FirstSeen">When it was raised: the start of its hysteresis window.</param>
/// <param name="LastNotified">When people were last told; null while pending.</param>
/// <param name="NotifiedSeverity">The severity of that last notice.</param>
/// <param name="RepeatDue">It was reported again during the cooldown; a repeat goes out when the cooldown ends.</param>
/// <param name="LastEvent">The newest event for it, whose data the notices carry.</param>
public sealed record AlertCondition(
    string Key,
    string Type,
    string Subject,
    Severity Severity,
    DateTimeOffset FirstSeen,
    DateTimeOffset? LastNotified,
    Severity? NotifiedSeverity,
    bool RepeatDue,
    MonitorEvent LastEvent)
{
    [JsonIgnore]
    public bool Notified => LastNotified is not null;
}
