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
/// A running <see cref="AlertSilence"/> that covers a condition moves any notice but a resolution to the end of the
/// silence (<see cref="SilencedUntil"/>): the condition is still tracked, and one notice goes out when the silence
/// ends if it still holds then.
/// </summary>
public sealed class AlertRouterState
{
    public static readonly AlertRouterState Empty = new(ImmutableDictionary<string, AlertCondition>.Empty, ImmutableDictionary<string, AlertSilence>.Empty);

    private AlertRouterState(ImmutableDictionary<string, AlertCondition> conditions, ImmutableDictionary<string, AlertSilence> silences)
    {
        Conditions = conditions;
        Silences = silences;
    }

    public ImmutableDictionary<string, AlertCondition> Conditions { get; }

    /// <summary>Silences that run or are still to come (and those that ended, until the next one is created).</summary>
    public ImmutableDictionary<string, AlertSilence> Silences { get; }

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
        new(snapshot.Conditions.ToImmutableDictionary(c => c.Key), (snapshot.Silences ?? []).ToImmutableDictionary(s => s.Id));

    public AlertRouterSnapshot ToSnapshot() =>
        new(Conditions.Values.OrderBy(c => c.FirstSeen).ToList(), Silences.Values.OrderBy(s => s.CreatedAt).ToList());

    /// <summary>
    /// When the silences that cover <paramref name="condition"/> at <paramref name="at"/> end, following silences that
    /// overlap one another; null when none covers it then.
    /// </summary>
    public DateTimeOffset? SilencedUntil(AlertCondition condition, DateTimeOffset at)
    {
        var end = at;
        while (Silences.Values.Where(s => s.Covers(condition, end)).Select(s => (DateTimeOffset?)s.Until).Max() is { } until) end = until;
        return end > at ? end : null;
    }

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
        // Held back by a silence: observed now, told (once) when the silence ends (DecideDue).
        if (SilencedUntil(condition with { LastEvent = monitorEvent }, now) is not null)
            return [new ConditionObserved(key, monitorEvent, now)];
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
        var deadline = Deadline(condition, timing, now);
        if (deadline is null || now < deadline) return [];
        var kind = !condition.Notified ? AlertNotificationKind.Raised
            // Only a silence holds an escalation back: when it ends, it goes out as one.
            : condition.Severity == Severity.Critical && condition.NotifiedSeverity == Severity.Warning ? AlertNotificationKind.Escalated
            : AlertNotificationKind.Repeated;
        return [Notify(key, kind, condition.Severity, condition.LastEvent, now, newId)];
    }

    /// <summary>When <see cref="DecideDue"/> will next have something to say about the condition; null when nothing is waiting.</summary>
    /// <param name="now">
    /// When the timer is armed: a notice that became due before now but is held by a silence running now waits for
    /// the end of that silence. Null: judged at the due time itself.
    /// </param>
    public DateTimeOffset? NextDeadline(string key, AlertOptions timing, DateTimeOffset? now = null) =>
        Conditions.TryGetValue(key, out var condition) ? Deadline(condition, timing, now) : null;

    /// <summary>Folds a silence change into the state; silences that ended before a new one is created are dropped then.</summary>
    public AlertRouterState Apply(ISilenceRecord record) => record switch
    {
        SilenceCreated created => new(Conditions, Silences
            .Where(s => s.Value.Until > created.Silence.CreatedAt).ToImmutableDictionary()
            .SetItem(created.Silence.Id, created.Silence)),
        SilenceExpired expired when Silences.TryGetValue(expired.Id, out var silence) =>
            new(Conditions, Silences.SetItem(silence.Id, silence with { Until = expired.At < silence.Until ? expired.At : silence.Until })),
        _ => this,
    };

    public AlertRouterState Apply(IAlertRecord record) => record switch
    {
        ConditionRaised raised => With(new AlertCondition(raised.Key, ConditionOf(raised.Event.Type), raised.Event.Subject, raised.Event.Severity,
            raised.At, LastNotified: null, NotifiedSeverity: null, RepeatDue: false, raised.Event)),
        ConditionObserved observed when Conditions.TryGetValue(observed.Key, out var condition) =>
            With(condition with { Severity = observed.Event.Severity, LastEvent = observed.Event, RepeatDue = condition.Notified }),
        ConditionDropped dropped => Without(dropped.Key),
        ConditionAcknowledged acknowledged => Without(acknowledged.Key),
        AlertNotified { Notification.Kind: AlertNotificationKind.Resolved } resolved => Without(resolved.Key),
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

    private DateTimeOffset? Deadline(AlertCondition condition, AlertOptions timing, DateTimeOffset? now)
    {
        DateTimeOffset? due = condition switch
        {
            { Notified: false } => condition.FirstSeen + timing.HysteresisOf(condition.LastEvent.Type),
            { RepeatDue: true } => condition.LastNotified + timing.Cooldown,
            _ => null,
        };
        if (due is not { } at) return null;
        // Nothing goes out before it is due, and nothing while a silence covers the moment it would go out.
        var sendAt = now is { } current && current > at ? current : at;
        return SilencedUntil(condition, sendAt) ?? at;
    }

    // An event that arrives when the window is already over (a late timer, a zero hysteresis) notifies at once.
    private IReadOnlyList<IAlertRecord> AndThenDue(IAlertRecord first, string key, DateTimeOffset now, AlertOptions timing, Func<string> newId) =>
        [first, .. Apply(first).DecideDue(key, now, timing, newId)];

    private static AlertNotified Notify(string key, AlertNotificationKind kind, Severity severity, MonitorEvent monitorEvent, DateTimeOffset now, Func<string> newId) =>
        new(new AlertNotification(newId(), key, kind, severity, monitorEvent, now));

    private AlertRouterState With(AlertCondition condition) => new(Conditions.SetItem(condition.Key, condition), Silences);

    private AlertRouterState Without(string key) => new(Conditions.Remove(key), Silences);
}
