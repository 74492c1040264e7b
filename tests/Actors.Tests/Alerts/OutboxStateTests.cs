using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class OutboxStateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static AlertMessage Message(string id, string key = "pool.degraded|tank", Severity severity = Severity.Warning, string kind = "raised") =>
        new(id, key, kind, severity, "e-" + id, key.Split('|')[0], key.Split('|')[1], "nas1", T0, T0, new Dictionary<string, string>());

    private static OutboxState Queue(OutboxState state, AlertMessage message, DateTimeOffset at, params int[] targets) =>
        state.Apply(new OutboxJournal.DeliveryQueued(message, targets, at));

    [Fact]
    public void Each_target_gets_its_oldest_due_delivery_first()
    {
        var state = Queue(OutboxState.Empty, Message("a"), T0, 1, 2);
        state = Queue(state, Message("b"), T0, 1);
        Assert.Equal("a", state.NextDue(1, T0)!.NotificationId);
        Assert.Equal("a", state.NextDue(2, T0)!.NotificationId);
        Assert.Null(state.NextDue(3, T0));
        Assert.Equal(2, state.Pending(1));
        Assert.True(state.HasSeen("a"));
        Assert.False(state.HasSeen("c"));
    }

    [Fact]
    public void A_failure_counts_the_attempt_and_moves_the_next_one_a_give_up_removes_the_delivery()
    {
        var state = Queue(OutboxState.Empty, Message("a"), T0, 1);
        state = state.Apply(new OutboxJournal.DeliveryFailed("a", 1, T0, 503, "HTTP 503", T0.AddSeconds(5)));
        var entry = state.Find("a", 1)!;
        Assert.Equal(1, entry.Attempts);
        Assert.Equal(T0.AddSeconds(5), entry.NextAttemptAt);
        Assert.Null(state.NextDue(1, T0.AddSeconds(4)));
        Assert.Equal("HTTP 503", state.StatusOf(1).LastFailure!.Error);

        state = state.Apply(new OutboxJournal.DeliveryFailed("a", 1, T0.AddHours(24), null, "gave up", null));
        Assert.Null(state.Find("a", 1));
        Assert.Equal("gave up", state.StatusOf(1).LastFailure!.Error);
    }

    [Fact]
    public void A_success_removes_the_delivery_records_it_and_makes_the_targets_waiting_deliveries_due()
    {
        var state = Queue(OutboxState.Empty, Message("a"), T0, 1, 2);
        state = Queue(state, Message("b"), T0, 1, 2);
        state = state.Apply(new OutboxJournal.DeliveryFailed("b", 1, T0, null, "refused", T0.AddMinutes(10)));
        state = state.Apply(new OutboxJournal.DeliveryFailed("b", 2, T0, null, "refused", T0.AddMinutes(10)));
        state = state.Apply(new OutboxJournal.DeliverySucceeded("a", 1, T0.AddMinutes(1), 200, 12));

        Assert.Null(state.Find("a", 1));
        Assert.Equal(T0.AddMinutes(1), state.Find("b", 1)!.NextAttemptAt);
        Assert.Equal(T0.AddMinutes(10), state.Find("b", 2)!.NextAttemptAt);
        Assert.Equal(new DeliveryRecord(T0.AddMinutes(1), "a", 200, null, 12), state.StatusOf(1).LastSuccess);
    }

    [Fact]
    public void A_resolution_goes_only_to_targets_told_about_the_condition()
    {
        var state = Queue(OutboxState.Empty, Message("raise", "pool.degraded|tank"), T0, 1, 3);
        state = Queue(state, Message("other", "capacity.critical|tank"), T0, 2);
        Assert.Equal([1, 3], state.TargetsToldAbout("pool.degraded|tank"));

        state = Queue(state, Message("clear", "pool.degraded|tank", Severity.Resolved, "resolved"), T0, 1);
        Assert.Equal([3], state.TargetsToldAbout("pool.degraded|tank"));
        Assert.Equal([2], state.TargetsToldAbout("capacity.critical|tank"));
    }

    [Fact]
    public void Overflow_names_the_oldest_deliveries_beyond_the_bound()
    {
        var state = OutboxState.Empty;
        foreach (var id in new[] { "a", "b", "c", "d" }) state = Queue(state, Message(id), T0, 1);
        Assert.Equal(["a", "b"], state.Overflow(1, 2).Select(e => e.NotificationId));
        Assert.Empty(state.Overflow(1, 4));
    }

    [Fact]
    public void The_wake_up_is_the_earliest_attempt_of_a_target_that_may_send_not_before_its_hold()
    {
        var state = Queue(OutboxState.Empty, Message("a"), T0, 1);
        state = Queue(state, Message("b"), T0.AddSeconds(1), 2);
        Assert.Equal(T0, state.NextWakeUp(_ => DateTimeOffset.MinValue));
        Assert.Equal(T0.AddSeconds(1), state.NextWakeUp(t => t == 1 ? null : DateTimeOffset.MinValue));
        Assert.Equal(T0.AddSeconds(30), state.NextWakeUp(t => t == 1 ? T0.AddSeconds(30) : null));
        Assert.Null(state.NextWakeUp(_ => null));
    }

    [Fact]
    public void After_a_restart_every_waiting_delivery_is_due_so_the_oldest_goes_first()
    {
        var state = Queue(OutboxState.Empty, Message("older"), T0, 1);
        state = Queue(state, Message("younger"), T0, 1);
        state = state.Apply(new OutboxJournal.DeliveryFailed("older", 1, T0, null, "refused", T0.AddMinutes(10)));
        Assert.Equal("younger", state.NextDue(1, T0.AddMinutes(1))!.NotificationId);

        var restarted = state.AllDueAt(T0.AddMinutes(1));
        Assert.Equal("older", restarted.NextDue(1, T0.AddMinutes(1))!.NotificationId);
        Assert.Equal(1, restarted.Find("older", 1)!.Attempts);
    }

    [Fact]
    public void Deleting_a_target_drops_its_deliveries_status_and_conditions()
    {
        var state = Queue(OutboxState.Empty, Message("a"), T0, 1, 2);
        state = state.Apply(new OutboxJournal.DeliveryFailed("a", 1, T0, null, "refused", T0.AddSeconds(5))).WithoutTarget(1);
        Assert.Null(state.Find("a", 1));
        Assert.NotNull(state.Find("a", 2));
        Assert.Equal(DeliveryStatus.None, state.StatusOf(1));
        Assert.Equal([2], state.TargetsToldAbout("pool.degraded|tank"));
    }

    [Fact]
    public void The_recent_ids_and_open_conditions_are_bounded()
    {
        var state = OutboxState.Empty;
        for (var i = 0; i < OutboxState.RecentIdsKept + 5; i++)
        {
            state = Queue(state, Message($"n{i}", $"pool.degraded|p{i}"), T0, 1);
            state = state.Apply(new OutboxJournal.DeliverySucceeded($"n{i}", 1, T0, 200, 1));
        }
        Assert.Equal(OutboxState.RecentIdsKept, state.RecentIds.Count);
        Assert.False(state.HasSeen("n0"));
        Assert.True(state.HasSeen($"n{OutboxState.RecentIdsKept + 4}"));
        Assert.Equal(OutboxState.OpenKeysKept, state.OpenKeys[1].Count);
        Assert.Empty(state.Entries);
    }

    [Fact]
    public void A_snapshot_restores_the_same_state()
    {
        var state = Queue(OutboxState.Empty, Message("a"), T0, 1, 2);
        state = state.Apply(new OutboxJournal.DeliveryFailed("a", 1, T0, 503, "HTTP 503", T0.AddSeconds(5)));
        state = state.Apply(new OutboxJournal.DeliverySucceeded("a", 2, T0, 204, 3));
        var restored = OutboxState.FromSnapshot(state.ToSnapshot());
        Assert.Equal(state.Entries.OrderBy(e => e.Value.Order).Select(e => e.Value), restored.Entries.OrderBy(e => e.Value.Order).Select(e => e.Value));
        Assert.Equal(state.Status.OrderBy(s => s.Key), restored.Status.OrderBy(s => s.Key));
        Assert.Equal(state.RecentIds, restored.RecentIds);
        Assert.Equal(state.NextOrder, restored.NextOrder);
        Assert.Equal(state.TargetsToldAbout("pool.degraded|tank"), restored.TargetsToldAbout("pool.degraded|tank"));
    }
}
