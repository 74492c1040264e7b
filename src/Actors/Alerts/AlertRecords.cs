using System.Text.Json.Serialization;

namespace DPlaneOS.Actors.Alerts;

/// <summary>A decision of the alert router, journalled before it takes effect; one condition each.</summary>
public interface IAlertRecord : IPersistedEvent
{
    string Key { get; }
}

/// <summary>A warning or critical event started a condition; its hysteresis window runs from <paramref name="At"/>.</summary>
[PersistedAs("alerts.condition-raised.v1")]
public sealed record ConditionRaised(string Key, MonitorEvent Event, DateTimeOffset At) : IAlertRecord;

/// <summary>
/// A known condition was reported again and nobody is told now: it is still pending, or it repeats
/// within the cooldown (then a repeat is due when the cooldown ends).
/// </summary>
[PersistedAs("alerts.condition-observed.v1")]
public sealed record ConditionObserved(string Key, MonitorEvent Event, DateTimeOffset At) : IAlertRecord;

/// <summary>A condition cleared before it was ever notified: it ends silently.</summary>
[PersistedAs("alerts.condition-dropped.v1")]
public sealed record ConditionDropped(string Key, MonitorEvent Event, DateTimeOffset At) : IAlertRecord;

/// <summary>
/// An admin acknowledged the condition (<c>POST /api/alerts/acknowledge</c>): it leaves the active list
/// without a notification; the next event of its kind starts a new condition.
/// </summary>
[PersistedAs("alerts.condition-acknowledged.v1")]
public sealed record ConditionAcknowledged(string Key, string By, DateTimeOffset At) : IAlertRecord;

/// <summary>People are told: raised, escalated, repeated or resolved. Journalled before it is published, so it goes out once.</summary>
[PersistedAs("alerts.notified.v1")]
public sealed record AlertNotified(AlertNotification Notification) : IAlertRecord
{
    [JsonIgnore]
    public string Key => Notification.Key;
}

/// <summary>A change to the router's silences, journalled like its decisions.</summary>
public interface ISilenceRecord : IPersistedEvent;

[PersistedAs("alerts.silence-created.v1")]
public sealed record SilenceCreated(AlertSilence Silence) : ISilenceRecord;

/// <summary>Someone ended a silence before its time (<c>DELETE /api/alerts/silences/{id}</c>).</summary>
[PersistedAs("alerts.silence-expired.v1")]
public sealed record SilenceExpired(string Id, string By, DateTimeOffset At) : ISilenceRecord;

/// <summary>Every active condition and silence, so recovery does not replay the whole history.</summary>
/// <param name="Silences">Null in snapshots written before silences existed.</param>
[PersistedAs("alerts.router-snapshot.v1")]
public sealed record AlertRouterSnapshot(IReadOnlyList<AlertCondition> Conditions, IReadOnlyList<AlertSilence>? Silences = null) : IPersistedEvent;
