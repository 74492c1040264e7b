using System.Collections.Immutable;

namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// The alert debounce as an immutable state machine per condition (<c>condition|subject</c>, see <see cref="KeyOf"/>):
/// <code>
///   (none) ──warning/critical──► Pending(firstSeen) ──held for Hysteresis──► Notified(lastNotified)
///   Pending ──resolved──► (none), silently           Notified ──resolved──► (none) + "resolved"
///   Notified ──warning→critical──► Escalated at once
///   Notified ──same or lower severity within Cooldown──► RepeatDue ──Cooldown ends──► Repeated
///   Notified ──same or lower severity after Cooldown──► Repeated at once
/// </code>
/// <see cref="Decide"/> and <see cref="DecideDue"/> turn an input and the current time into records
/// (the decisions, which the actor journals); <see cref="Apply"/> folds a record into the state.
/// Info events are not alerts. Nothing here reads a clock: the caller passes <c>now</c>.
/// </summary>
public sealed class AlertRouterState
{
    public static readonly AlertRouterState Empty = new(ImmutableDictionary<string, AlertCondition>.Empty);

    private AlertRouterState(ImmutableDictionary<string, AlertCondition> conditions) => Conditions = conditions;

    public ImmutableDictionary<string, AlertCondition> Conditions { get; }

    private static readonly string[] LevelNames = ["ok", "warning", "critical", "emergency"];

    /// <summary>
    /// The condition an event type reports on. Usually the type itself; a type whose last segment
    /// names a level (<c>capacity.warning</c>, <c>capacity.critical</c>, <c>capacity.ok</c>) is that
    /// level of the condition named by the rest (<c>capacity</c>), so a rise from warning to critical
    /// is an escalation of one condition and <c>capacity.ok</c> resolves it.
    /// </summary>
    public static string ConditionOf(string type)
    {
        var dot = type.LastIndexOf('.');
        return dot > 0 && LevelNames.Contains(type[(dot + 1)..], StringComparer.OrdinalIgnoreCase) ? type[..dot] : type;
    }

    /// <summary>The family of a type: its first segment (<c>pool</c> of <c>pool.failed</c>).</summary>
    public static string FamilyOf(string type)
    {
        var dot = type.IndexOf('.');
        return dot > 0 ? type[..dot] : type;
    }

    /// <summary>The debounce key: <c>condition|subject</c>.</summary>
    public static string KeyOf(string type, string subject) => $"{ConditionOf(type)}|{subject}";

    public static AlertRouterState FromSnapshot(AlertRouterSnapshot snapshot) =>
        new(snapshot.Conditions.ToImmutableDictionary(c => c.Key));

    public AlertRouterSnapshot ToSnapshot() => new(Conditions.Values.OrderBy(c => c.FirstSeen).ToList());

    /// <summary>What an event from the monitor bus changes.</summary>
    /// <param name="newId">Makes the id of a notification.</param>
    public IReadOnlyList<IAlertRecord> Decide(MonitorEvent monitorEvent, DateTimeOffset now, AlertOptions timing, Func<string> newId)
    {
        var key = KeyOf(monitorEvent.Type, monitorEvent.Subject);
        Conditions.TryGetValue(key, out var condition);
        switch (monitorEvent.Severity)
        {
            case Severity.Info:
                return [];
            case Severity.Resolved:
                // A resolution ends every condition of its family on that subject: pool.recovered ends
                // pool.failed and pool.degraded, gitops.drift-resolved ends gitops.drift.
                return Conditions.Values
                    .Where(c => c.Subject == monitorEvent.Subject && (c.Key == key || FamilyOf(c.Type) == FamilyOf(monitorEvent.Type)))
                    .OrderBy(c => c.FirstSeen)
                    .Select(c => c.Notified
                        ? (IAlertRecord)Notify(c.Key, AlertNotificationKind.Resolved, Severity.Resolved, monitorEvent, now, newId)
                        : new ConditionDropped(c.Key, monitorEvent, now))
                    .ToList();
        }

        if (condition is null)
            return AndThenDue(new ConditionRaised(key, monitorEvent, now), key, now, timing, newId);
        if (!condition.Notified)
            return AndThenDue(new ConditionObserved(key, monitorEvent, now), key, now, timing, newId);
        if (monitorEvent.Severity == Severity.Critical && condition.NotifiedSeverity == Severity.Warning)
            return [Notify(key, AlertNotificationKind.Escalated, Severity.Critical, monitorEvent, now, newId)];
        return now >= condition.LastNotified + timing.Cooldown
            ? [Notify(key, AlertNotificationKind.Repeated, monitorEvent.Severity, monitorEvent, now, newId)]
            : [new ConditionObserved(key, monitorEvent, now)];
    }

    /// <summary>What the passing of time changes for one condition: the end of its hysteresis window or of its cooldown.</summary>
    public IReadOnlyList<IAlertRecord> DecideDue(string key, DateTimeOffset now, AlertOptions timing, Func<string> newId)
    {
        if (!Conditions.TryGetValue(key, out var condition)) return [];
        var deadline = Deadline(condition, timing);
        if (deadline is null || now < deadline) return [];
        var kind = condition.Notified ? AlertNotificationKind.Repeated : AlertNotificationKind.Raised;
        return [Notify(key, kind, condition.Severity, condition.LastEvent, now, newId)];
    }

    /// <summary>When <see cref="DecideDue"/> will next have something to say about the condition; null when nothing is waiting.</summary>
    public DateTimeOffset? NextDeadline(string key, AlertOptions timing) =>
        Conditions.TryGetValue(key, out var condition) ? Deadline(condition, timing) : null;

    public AlertRouterState Apply(IAlertRecord record) => record switch
    {
        ConditionRaised raised => With(new AlertCondition(raised.Key, ConditionOf(raised.Event.Type), raised.Event.Subject, raised.Event.Severity,
            raised.At, LastNotified: null, NotifiedSeverity: null, RepeatDue: false, raised.Event)),
        ConditionObserved observed when Conditions.TryGetValue(observed.Key, out var condition) =>
            With(condition with { Severity = observed.Event.Severity, LastEvent = observed.Event, RepeatDue = condition.Notified }),
        ConditionDropped dropped => new(Conditions.Remove(dropped.Key)),
        ConditionAcknowledged acknowledged => new(Conditions.Remove(acknowledged.Key)),
        AlertNotified { Notification.Kind: AlertNotificationKind.Resolved } resolved => new(Conditions.Remove(resolved.Key)),
        AlertNotified notified when Conditions.TryGetValue(notified.Key, out var condition) => With(condition with
        {
            Severity = notified.Notification.Severity,
            LastNotified = notified.Notification.At,
            NotifiedSeverity = notified.Notification.Severity,
            RepeatDue = false,
            LastEvent = notified.Notification.Event,
        }),
        // A record about a condition that is gone cannot happen in a journal this class wrote; ignore rather than fail recovery.
        _ => this,
    };

    private static DateTimeOffset? Deadline(AlertCondition condition, AlertOptions timing) => condition switch
    {
        { Notified: false } => condition.FirstSeen + timing.HysteresisOf(condition.LastEvent.Type),
        { RepeatDue: true } => condition.LastNotified + timing.Cooldown,
        _ => null,
    };

    // An event that arrives when the window is already over (a late timer, a zero hysteresis) notifies at once.
    private IReadOnlyList<IAlertRecord> AndThenDue(IAlertRecord first, string key, DateTimeOffset now, AlertOptions timing, Func<string> newId) =>
        [first, .. Apply(first).DecideDue(key, now, timing, newId)];

    private static AlertNotified Notify(string key, AlertNotificationKind kind, Severity severity, MonitorEvent monitorEvent, DateTimeOffset now, Func<string> newId) =>
        new(new AlertNotification(newId(), key, kind, severity, monitorEvent, now));

    private AlertRouterState With(AlertCondition condition) => new(Conditions.SetItem(condition.Key, condition));
}
