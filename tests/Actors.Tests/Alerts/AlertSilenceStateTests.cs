using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>Silences in the debounce state machine alone: times passed in, no actor.</summary>
public sealed class AlertSilenceStateTests
{
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Timing = new();
    private static readonly TimeSpan Window = Timing.Hysteresis;
    private const string Key = "pool.degraded|tank";

    private AlertRouterState _state = AlertRouterState.Empty;
    private int _ids;

    private static MonitorEvent Event(Severity severity, string type = "pool.degraded", string subject = "tank") =>
        MonitorEvent.Create(TestNode, type, severity, subject, T0);

    private string NewId() => $"n{++_ids}";

    private List<AlertNotification> Feed(MonitorEvent monitorEvent, TimeSpan at) => Take(_state.Decide(monitorEvent, T0 + at, Timing, NewId));

    private List<AlertNotification> Tick(string key, TimeSpan at) => Take(_state.DecideDue(key, T0 + at, Timing, NewId));

    private List<AlertNotification> Take(IReadOnlyList<IAlertRecord> records)
    {
        foreach (var record in records) _state = _state.Apply(record);
        return records.OfType<AlertNotified>().Select(r => r.Notification).ToList();
    }

    private void Silence(TimeSpan from, TimeSpan until, string id = "s1", IReadOnlyList<string>? types = null, string? subject = null, string? node = null) =>
        _state = _state.Apply(new SilenceCreated(new AlertSilence(id, new AlertSilenceMatchers(types ?? [], subject, node), T0 + from, T0 + until, "maintenance", "ops", T0)));

    private DateTimeOffset? Due(string key = Key) => _state.NextDeadline(key, Timing);

    [Fact]
    public void A_condition_raised_in_a_silence_is_tracked_not_told_and_told_once_when_the_silence_ends()
    {
        Silence(TimeSpan.Zero, TimeSpan.FromHours(1));
        Assert.Empty(Feed(Event(Severity.Warning), TimeSpan.Zero));
        Assert.Equal(T0 + TimeSpan.FromHours(1), Due());
        Assert.Empty(Tick(Key, Window));
        Assert.Empty(Feed(Event(Severity.Warning), TimeSpan.FromMinutes(30)));
        var condition = Assert.Single(_state.Conditions.Values);
        Assert.Equal(T0 + TimeSpan.FromHours(1), _state.SilencedUntil(condition, T0 + TimeSpan.FromMinutes(40)));

        var told = Assert.Single(Tick(Key, TimeSpan.FromHours(1)));
        Assert.Equal(AlertNotificationKind.Raised, told.Kind);
        Assert.Null(Due());
        Assert.Empty(Tick(Key, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void A_condition_that_clears_during_the_silence_is_never_told()
    {
        Silence(TimeSpan.Zero, TimeSpan.FromHours(1));
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Assert.Empty(Feed(Event(Severity.Resolved, "pool.recovered"), TimeSpan.FromMinutes(10)));
        Assert.Empty(_state.Conditions);
        Assert.Empty(Tick(Key, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void An_escalation_in_a_silence_goes_out_as_one_escalation_when_it_ends_and_a_resolution_is_never_held()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Assert.Equal(AlertNotificationKind.Raised, Assert.Single(Tick(Key, Window)).Kind);
        Silence(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));

        Assert.Empty(Feed(Event(Severity.Critical), TimeSpan.FromMinutes(2)));
        Assert.Empty(Feed(Event(Severity.Critical), TimeSpan.FromMinutes(20)));
        var escalated = Assert.Single(Tick(Key, TimeSpan.FromHours(1)));
        Assert.Equal((AlertNotificationKind.Escalated, Severity.Critical), (escalated.Kind, escalated.Severity));

        Silence(TimeSpan.FromHours(2), TimeSpan.FromHours(3), "s2");
        var resolved = Assert.Single(Feed(Event(Severity.Resolved, "pool.recovered"), TimeSpan.FromHours(2.5)));
        Assert.Equal(AlertNotificationKind.Resolved, resolved.Kind);
    }

    [Fact]
    public void A_repeat_held_by_a_silence_goes_out_once_at_its_end()
    {
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Tick(Key, Window);
        Silence(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        foreach (var minute in new[] { 10, 20, 30, 40 }) Assert.Empty(Feed(Event(Severity.Warning), TimeSpan.FromMinutes(minute)));
        Assert.Equal(AlertNotificationKind.Repeated, Assert.Single(Tick(Key, TimeSpan.FromHours(1))).Kind);
    }

    [Fact]
    public void A_maintenance_window_holds_nothing_back_before_it_starts()
    {
        Silence(TimeSpan.FromHours(1), TimeSpan.FromHours(2));
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Assert.Equal(AlertNotificationKind.Raised, Assert.Single(Tick(Key, Window)).Kind);
        Feed(Event(Severity.Warning, subject: "other"), TimeSpan.FromMinutes(59.75));
        // Its window ends inside the maintenance window: held to the end of it.
        Assert.Equal(T0 + TimeSpan.FromHours(2), Due("pool.degraded|other"));
    }

    [Theory]
    [InlineData("capacity.*", null, null)]
    [InlineData(null, "other", null)]
    [InlineData(null, null, "nas2")]
    public void A_silence_that_does_not_match_the_type_subject_or_node_holds_nothing(string? type, string? subject, string? node)
    {
        Silence(TimeSpan.Zero, TimeSpan.FromHours(1), types: type is null ? [] : [type], subject: subject, node: node);
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Assert.Single(Tick(Key, Window));
    }

    [Fact]
    public void Matchers_use_the_event_type_patterns_and_subject_globs()
    {
        Silence(TimeSpan.Zero, TimeSpan.FromHours(1), types: ["pool.*"], subject: "tank*", node: "nas1");
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Feed(Event(Severity.Warning, subject: "tank2"), TimeSpan.Zero);
        Assert.Empty(Tick(Key, Window));
        Assert.Empty(Tick("pool.degraded|tank2", Window));
    }

    [Fact]
    public void Expiring_a_silence_early_makes_what_it_held_due_now()
    {
        Silence(TimeSpan.Zero, TimeSpan.FromHours(1));
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        _state = _state.Apply(new SilenceExpired("s1", "ops", T0 + TimeSpan.FromMinutes(10)));
        Assert.Equal(T0 + TimeSpan.FromMinutes(10), Due());
        Assert.Equal(AlertNotificationKind.Raised, Assert.Single(Tick(Key, TimeSpan.FromMinutes(10))).Kind);
    }

    [Fact]
    public void Overlapping_silences_hold_until_the_last_of_them_ends()
    {
        Silence(TimeSpan.Zero, TimeSpan.FromHours(1));
        Silence(TimeSpan.FromMinutes(50), TimeSpan.FromHours(3), "s2", subject: "tank");
        Feed(Event(Severity.Warning), TimeSpan.Zero);
        Assert.Equal(T0 + TimeSpan.FromHours(3), Due());
        Assert.Empty(Tick(Key, TimeSpan.FromHours(1)));
        Assert.Single(Tick(Key, TimeSpan.FromHours(3)));
    }

    [Fact]
    public void Silences_survive_a_snapshot_and_one_that_ended_is_dropped_when_the_next_is_created()
    {
        Silence(TimeSpan.Zero, TimeSpan.FromHours(1));
        var restored = AlertRouterState.FromSnapshot(_state.ToSnapshot());
        Assert.Equal(_state.Silences["s1"], restored.Silences["s1"]);
        Assert.Empty(AlertRouterState.FromSnapshot(new AlertRouterSnapshot([])).Silences);

        _state = _state.Apply(new SilenceCreated(new AlertSilence("s2", new AlertSilenceMatchers([], null, null), T0 + TimeSpan.FromHours(2),
            T0 + TimeSpan.FromHours(3), "later", "ops", T0 + TimeSpan.FromHours(2))));
        Assert.Equal(["s2"], _state.Silences.Keys);
    }
}
