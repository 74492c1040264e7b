using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>The debounce state machine alone: no actor, no clock, times passed in.</summary>
public sealed class AlertRouterStateTests
{
    /// <summary>The node the events of these tests come from.</summary>
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");

    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Timing = new();

    private AlertRouterState _state = AlertRouterState.Empty;
    private int _ids;

    private static MonitorEvent Event(Severity severity, string type = "pool.degraded", string subject = "tank", string? note = null) =>
        MonitorEvent.Create(TestNode, type, severity, subject, T0, note is null ? null : new Dictionary<string, string> { ["note"] = note });

    private string NewId() => $"n{++_ids}";

    /// <summary>Decides, applies what was decided and returns the notifications.</summary>
    private List<AlertNotification> Feed(MonitorEvent monitorEvent, TimeSpan at, AlertOptions? timing = null) =>
        Take(_state.Decide(monitorEvent, T0 + at, timing ?? Timing, NewId));

    private List<AlertNotification> Tick(string key, TimeSpan at, AlertOptions? timing = null) =>
        Take(_state.DecideDue(key, T0 + at, timing ?? Timing, NewId));

    private List<AlertNotification> Take(IReadOnlyList<IAlertRecord> records)
    {
        foreach (var record in records) _state = _state.Apply(record);
        return records.OfType<AlertNotified>().Select(r => r.Notification).ToList();
    }

    private const string Key = "pool.degraded|tank";

    [Fact]
    public void An_immediate_type_is_notified_on_its_first_event_while_others_wait_for_the_window()
    {
        var silent = Feed(Event(Severity.Critical, "fleet.node-unreachable", "nas-02"), TimeSpan.Zero);
        Assert.Equal(AlertNotificationKind.Raised, Assert.Single(silent).Kind);
        Assert.Empty(Feed(Event(Severity.Critical, "pool.failed"), TimeSpan.Zero));

        // Other patterns: a type they do not match keeps the window.
        var timing = new AlertOptions { ImmediateTypes = ["pool.*"] };
        Assert.Single(Feed(Event(Severity.Warning, "pool.degraded", "other"), TimeSpan.Zero, timing));
        Assert.Empty(Feed(Event(Severity.Warning, "capacity.warning", "other"), TimeSpan.Zero, timing));
    }

    [Fact]
    public void A_malformed_immediate_pattern_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AlertOptions { ImmediateTypes = ["pool..x"] }.Validate());
        Assert.StartsWith("DPlaneOS:Alerts:ImmediateTypes: 'pool..x' has an empty segment", error.Message);
    }

    [Fact]
    public void Info_is_never_an_alert()
    {
        Assert.Empty(Feed(Event(Severity.Info), TimeSpan.Zero));
        Assert.Empty(_state.Conditions);
        Assert.Empty(Tick(Key, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_condition_is_notified_once_it_has_held_for_the_hysteresis_window()
    {
        Assert.Empty(Feed(Event(Severity.Warning, note: "first"), TimeSpan.Zero));
        Assert.Equal(T0 + TimeSpan.FromSeconds(30), _state.NextDeadline(Key, Timing));
        Assert.Empty(Tick(Key, TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1)));

        var raised = Assert.Single(Tick(Key, TimeSpan.FromSeconds(30)));
        Assert.Equal(AlertNotificationKind.Raised, raised.Kind);
        Assert.Equal(Severity.Warning, raised.Severity);
        Assert.Equal(Key, raised.Key);
        Assert.Equal("first", raised.Event.Data["note"]);
        Assert.Equal(T0 + TimeSpan.FromSeconds(30), raised.At);

        Assert.Null(_state.NextDeadline(Key, Timing));
        Assert.Empty(Tick(Key, TimeSpan.FromSeconds(31)));
    }

    [Fact]
    public void An_event_arriving_after_the_window_notifies_at_once_with_its_own_data()
    {
        Feed(Event(Severity.Warning, note: "first"), TimeSpan.Zero);
        var raised = Assert.Single(Feed(Event(Severity.Warning, note: "second"), TimeSpan.FromSeconds(45)));
        Assert.Equal(AlertNotificationKind.Raised, raised.Kind);
        Assert.Equal("second", raised.Event.Data["note"]);
    }

    [Fact]
    public void Zero_hysteresis_notifies_on_the_first_event()
    {
        var now = new AlertOptions { Hysteresis = TimeSpan.Zero };
        var raised = Assert.Single(Feed(Event(Severity.Critical), TimeSpan.Zero, now));
        Assert.Equal(AlertNotificationKind.Raised, raised.Kind);
        Assert.Equal(Severity.Critical, raised.Severity);
    }

    [Fact]
    public void A_condition_that_clears_before_it_was_notified_ends_silently()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Assert.Empty(Feed(Event(Severity.Resolved), TimeSpan.FromSeconds(10)));
        Assert.Empty(_state.Conditions);
        Assert.Empty(Tick(Key, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Resolved_for_an_unknown_condition_is_nothing()
    {
        Assert.Empty(Feed(Event(Severity.Resolved), TimeSpan.Zero));
        Assert.Empty(_state.Conditions);
    }

    [Fact]
    public void A_notified_condition_that_clears_sends_one_resolved()
    {
        Feed(Event(Severity.Critical), TimeSpan.Zero);
        Tick(Key, TimeSpan.FromSeconds(30));

        var resolved = Assert.Single(Feed(Event(Severity.Resolved, note: "back"), TimeSpan.FromMinutes(1)));
        Assert.Equal(AlertNotificationKind.Resolved, resolved.Kind);
        Assert.Equal(Severity.Resolved, resolved.Severity);
        Assert.Equal("back", resolved.Event.Data["note"]);
        Assert.Empty(_state.Conditions);
        Assert.Empty(Feed(Event(Severity.Resolved), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void A_repeat_within_the_cooldown_waits_for_its_end_and_carries_the_newest_data()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Tick(Key, TimeSpan.FromSeconds(30));

        Assert.Empty(Feed(Event(Severity.Warning, note: "again"), TimeSpan.FromMinutes(1)));
        Assert.Empty(Feed(Event(Severity.Warning, note: "newest"), TimeSpan.FromMinutes(2)));
        var cooldownEnd = TimeSpan.FromSeconds(30) + TimeSpan.FromMinutes(5);
        Assert.Equal(T0 + cooldownEnd, _state.NextDeadline(Key, Timing));
        Assert.Empty(Tick(Key, cooldownEnd - TimeSpan.FromTicks(1)));

        var repeated = Assert.Single(Tick(Key, cooldownEnd));
        Assert.Equal(AlertNotificationKind.Repeated, repeated.Kind);
        Assert.Equal("newest", repeated.Event.Data["note"]);
        Assert.Null(_state.NextDeadline(Key, Timing));
    }

    [Fact]
    public void A_repeat_after_the_cooldown_goes_out_at_once_and_an_unreported_condition_is_not_repeated()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Tick(Key, TimeSpan.FromSeconds(30));
        Assert.Null(_state.NextDeadline(Key, Timing));
        Assert.Empty(Tick(Key, TimeSpan.FromHours(1)));

        var repeated = Assert.Single(Feed(Event(Severity.Warning), TimeSpan.FromHours(2)));
        Assert.Equal(AlertNotificationKind.Repeated, repeated.Kind);
    }

    [Fact]
    public void An_escalation_goes_out_at_once_even_within_the_cooldown()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Tick(Key, TimeSpan.FromSeconds(30));

        var escalated = Assert.Single(Feed(Event(Severity.Critical), TimeSpan.FromSeconds(40)));
        Assert.Equal(AlertNotificationKind.Escalated, escalated.Kind);
        Assert.Equal(Severity.Critical, escalated.Severity);
        Assert.Equal(T0 + TimeSpan.FromSeconds(40), escalated.At);

        // Critical again is a repeat of the critical notice, not a second escalation.
        Assert.Empty(Feed(Event(Severity.Critical), TimeSpan.FromSeconds(50)));
    }

    [Fact]
    public void A_deescalation_is_not_urgent_and_waits_for_the_cooldown()
    {
        Feed(Event(Severity.Critical), TimeSpan.Zero);
        Tick(Key, TimeSpan.FromSeconds(30));
        Assert.Empty(Feed(Event(Severity.Warning), TimeSpan.FromMinutes(1)));
        var repeated = Assert.Single(Tick(Key, TimeSpan.FromSeconds(30) + TimeSpan.FromMinutes(5)));
        Assert.Equal(AlertNotificationKind.Repeated, repeated.Kind);
        Assert.Equal(Severity.Warning, repeated.Severity);

        // Back to critical after a warning notice is an escalation again.
        Assert.Equal(AlertNotificationKind.Escalated, Assert.Single(Feed(Event(Severity.Critical), TimeSpan.FromMinutes(6))).Kind);
    }

    [Fact]
    public void Critical_while_pending_keeps_the_window_of_the_first_event()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Assert.Empty(Feed(Event(Severity.Critical), TimeSpan.FromSeconds(10)));
        Assert.Empty(Tick(Key, TimeSpan.FromSeconds(29)));
        var raised = Assert.Single(Tick(Key, TimeSpan.FromSeconds(30)));
        Assert.Equal(AlertNotificationKind.Raised, raised.Kind);
        Assert.Equal(Severity.Critical, raised.Severity);
    }

    [Fact]
    public void After_a_resolve_a_new_condition_gets_a_fresh_window_and_no_leftover_cooldown()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Tick(Key, TimeSpan.FromSeconds(30));
        Feed(Event(Severity.Resolved), TimeSpan.FromSeconds(40));

        Assert.Empty(Feed(Event(Severity.Warning), TimeSpan.FromSeconds(50)));
        Assert.Empty(Tick(Key, TimeSpan.FromSeconds(79)));
        Assert.Equal(AlertNotificationKind.Raised, Assert.Single(Tick(Key, TimeSpan.FromSeconds(80))).Kind);
    }

    [Fact]
    public void Conditions_are_keyed_by_type_and_subject()
    {
        Feed(Event(Severity.Warning, subject: "tank"), TimeSpan.Zero);
        Feed(Event(Severity.Warning, subject: "backup"), TimeSpan.FromSeconds(20));
        Feed(Event(Severity.Warning, type: "capacity.warning", subject: "tank"), TimeSpan.FromSeconds(25));
        Assert.Equal(3, _state.Conditions.Count);

        Assert.Equal("pool.degraded|tank", Assert.Single(Tick("pool.degraded|tank", TimeSpan.FromSeconds(30))).Key);
        Assert.Empty(Tick("pool.degraded|backup", TimeSpan.FromSeconds(30)));
        Assert.Empty(Feed(Event(Severity.Resolved, subject: "backup"), TimeSpan.FromSeconds(31)));
        Assert.Equal(2, _state.Conditions.Count);
    }

    [Fact]
    public void A_resolution_ends_every_condition_of_its_family_on_that_subject()
    {
        var start = DateTimeOffset.Parse("2026-11-29T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var timing = new DPlaneOS.Actors.Configuration.AlertOptions();
        var ids = 0;
        string NewId() => $"n{++ids}";
        MonitorEvent Of(string type, Severity severity, string subject) =>
            new(Guid.NewGuid().ToString("N"), type, severity, subject, "node", start, new Dictionary<string, string>());
        var state = AlertRouterState.Empty;
        IReadOnlyList<IAlertRecord> Step(MonitorEvent e, TimeSpan at)
        {
            var records = state.Decide(e, start + at, timing, NewId);
            foreach (var record in records) state = state.Apply(record);
            return records;
        }

        Step(Of("pool.degraded", Severity.Warning, "tank"), TimeSpan.Zero);
        Step(Of("pool.failed", Severity.Critical, "tank"), TimeSpan.FromSeconds(1));
        Step(Of("pool.failed", Severity.Critical, "backup"), TimeSpan.FromSeconds(1));
        foreach (var key in new[] { "pool.degraded|tank", "pool.failed|tank" })
            foreach (var record in state.DecideDue(key, start + TimeSpan.FromSeconds(40), timing, NewId)) state = state.Apply(record);
        Assert.All(state.Conditions.Values.Where(c => c.Subject == "tank"), c => Assert.True(c.Notified));

        var resolved = Step(Of("pool.recovered", Severity.Resolved, "tank"), TimeSpan.FromSeconds(60));
        Assert.Equal(["pool.degraded|tank", "pool.failed|tank"],
            resolved.OfType<AlertNotified>().Select(n => n.Key).Order());
        Assert.All(resolved.OfType<AlertNotified>(), n => Assert.Equal(AlertNotificationKind.Resolved, n.Notification.Kind));
        Assert.Equal(["pool.failed|backup"], state.Conditions.Keys);
    }

    [Theory]
    [InlineData("capacity.warning", "capacity")]
    [InlineData("capacity.critical", "capacity")]
    [InlineData("capacity.emergency", "capacity")]
    [InlineData("capacity.ok", "capacity")]
    [InlineData("inotify.usage", "inotify.usage")]
    [InlineData("pool.degraded", "pool.degraded")]
    [InlineData("capacity.reserve-released", "capacity.reserve-released")]
    [InlineData("warning", "warning")]
    public void A_level_suffix_names_a_level_of_one_condition(string type, string condition) =>
        Assert.Equal(condition, AlertRouterState.ConditionOf(type));

    [Fact]
    public void Level_named_events_escalate_and_resolve_one_condition()
    {
        Feed(Event(Severity.Warning, type: "capacity.warning"), TimeSpan.Zero);
        var raised = Assert.Single(Tick("capacity|tank", TimeSpan.FromSeconds(30)));
        Assert.Equal("capacity.warning", raised.Event.Type);

        var escalated = Assert.Single(Feed(Event(Severity.Critical, type: "capacity.critical"), TimeSpan.FromSeconds(40)));
        Assert.Equal(AlertNotificationKind.Escalated, escalated.Kind);
        Assert.Equal("capacity|tank", escalated.Key);
        Assert.Equal("capacity", Assert.Single(_state.Conditions).Value.Type);

        var resolved = Assert.Single(Feed(Event(Severity.Resolved, type: "capacity.ok"), TimeSpan.FromMinutes(1)));
        Assert.Equal(AlertNotificationKind.Resolved, resolved.Kind);
        Assert.Empty(_state.Conditions);
    }

    [Fact]
    public void A_snapshot_restores_the_same_conditions()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Tick(Key, TimeSpan.FromSeconds(30));
        Feed(Event(Severity.Warning), TimeSpan.FromMinutes(1));
        Feed(Event(Severity.Critical, subject: "backup"), TimeSpan.FromMinutes(2));

        var restored = AlertRouterState.FromSnapshot(_state.ToSnapshot());
        Assert.Equal(_state.Conditions.OrderBy(c => c.Key), restored.Conditions.OrderBy(c => c.Key));
    }
}
