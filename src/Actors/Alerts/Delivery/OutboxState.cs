using System.Collections.Immutable;

namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>
/// A sink's persistent outbox, rebuilt from <see cref="OutboxJournal"/> records: the pending
/// deliveries, each target's last success and failure, the conditions each target was told about
/// (so it also hears their resolution), and the newest notification ids (so a notification that
/// arrives twice is queued once). Immutable; every change is a pure <c>Apply</c>.
/// </summary>
public sealed record OutboxState(
    ImmutableDictionary<(string NotificationId, int Target), OutboxEntry> Entries,
    ImmutableDictionary<int, DeliveryStatus> Status,
    ImmutableDictionary<int, ImmutableList<string>> OpenKeys,
    ImmutableList<string> RecentIds,
    long NextOrder)
{
    /// <summary>How many notification ids are remembered for de-duplication.</summary>
    public const int RecentIdsKept = 1000;

    /// <summary>How many open conditions are remembered per target; the oldest is forgotten first.</summary>
    public const int OpenKeysKept = 1000;

    public static readonly OutboxState Empty = new(
        ImmutableDictionary<(string, int), OutboxEntry>.Empty,
        ImmutableDictionary<int, DeliveryStatus>.Empty,
        ImmutableDictionary<int, ImmutableList<string>>.Empty,
        [],
        0);

    public bool HasSeen(string notificationId) => RecentIds.Contains(notificationId);

    public OutboxEntry? Find(string notificationId, int target) => Entries.GetValueOrDefault((notificationId, target));

    public int Pending(int target) => Entries.Values.Count(e => e.Target == target);

    public DeliveryStatus StatusOf(int target) => Status.GetValueOrDefault(target, DeliveryStatus.None);

    /// <summary>The targets that were told about <paramref name="key"/> and not yet of its resolution.</summary>
    public IEnumerable<int> TargetsToldAbout(string key) => OpenKeys.Where(kv => kv.Value.Contains(key)).Select(kv => kv.Key).Order();

    /// <summary>The target's oldest entries that must go so that <paramref name="keep"/> remain.</summary>
    public IEnumerable<OutboxEntry> Overflow(int target, int keep)
    {
        var entries = Entries.Values.Where(e => e.Target == target).OrderBy(e => e.Order).ToList();
        return entries.Take(Math.Max(0, entries.Count - Math.Max(0, keep)));
    }

    /// <summary>The target's oldest delivery that is due at <paramref name="now"/>; one at a time per target keeps the order.</summary>
    public OutboxEntry? NextDue(int target, DateTimeOffset now) =>
        Entries.Values.Where(e => e.Target == target && e.NextAttemptAt <= now).MinBy(e => e.Order);

    public IEnumerable<int> Targets => Entries.Values.Select(e => e.Target).Distinct().Order();

    /// <summary>
    /// The earliest moment a pending delivery can go out. <paramref name="readyFrom"/> says from when a
    /// target may send (<see cref="DateTimeOffset.MinValue"/>: now), or null when it cannot (busy, disabled).
    /// </summary>
    public DateTimeOffset? NextWakeUp(Func<int, DateTimeOffset?> readyFrom)
    {
        DateTimeOffset? earliest = null;
        foreach (var group in Entries.Values.GroupBy(e => e.Target))
        {
            if (readyFrom(group.Key) is not { } ready) continue;
            var due = group.Min(e => e.NextAttemptAt);
            var at = due > ready ? due : ready;
            if (earliest is null || at < earliest) earliest = at;
        }
        return earliest;
    }

    /// <summary>
    /// Every waiting delivery due at <paramref name="now"/>. After a restart the receivers may be back
    /// and the in-memory holds are gone: one probe with each target's oldest delivery finds out, and
    /// keeps the order (otherwise a never-tried younger delivery would overtake a backed-off older one).
    /// </summary>
    public OutboxState AllDueAt(DateTimeOffset now) => this with
    {
        Entries = Entries.SetItems(Entries.Where(e => e.Value.NextAttemptAt > now)
            .Select(e => KeyValuePair.Create(e.Key, e.Value with { NextAttemptAt = now }))),
    };

    public OutboxState Apply(OutboxJournal.DeliveryQueued queued)
    {
        var entries = Entries.ToBuilder();
        var openKeys = OpenKeys;
        var order = NextOrder;
        foreach (var target in queued.Targets)
        {
            entries[(queued.Message.Id, target)] = new OutboxEntry(queued.Message, target, order++, queued.At, 0, queued.At, null);
            var keys = openKeys.GetValueOrDefault(target, []).Remove(queued.Message.Key);
            if (!queued.Message.IsResolution) keys = keys.Add(queued.Message.Key);
            if (keys.Count > OpenKeysKept) keys = keys.RemoveAt(0);
            openKeys = keys.IsEmpty ? openKeys.Remove(target) : openKeys.SetItem(target, keys);
        }
        var recent = RecentIds.Add(queued.Message.Id);
        if (recent.Count > RecentIdsKept) recent = recent.RemoveAt(0);
        return this with { Entries = entries.ToImmutable(), OpenKeys = openKeys, RecentIds = recent, NextOrder = order };
    }

    /// <summary>The delivery leaves the outbox. The target answered, so its other waiting deliveries are due now, in order.</summary>
    public OutboxState Apply(OutboxJournal.DeliverySucceeded succeeded)
    {
        var entries = Entries.Remove((succeeded.NotificationId, succeeded.Target)).ToBuilder();
        foreach (var entry in entries.Values.Where(e => e.Target == succeeded.Target && e.NextAttemptAt > succeeded.At).ToList())
            entries[(entry.NotificationId, entry.Target)] = entry with { NextAttemptAt = succeeded.At };
        var record = new DeliveryRecord(succeeded.At, succeeded.NotificationId, succeeded.StatusCode, null, succeeded.LatencyMs);
        return this with
        {
            Entries = entries.ToImmutable(),
            Status = Status.SetItem(succeeded.Target, StatusOf(succeeded.Target) with { LastSuccess = record }),
        };
    }

    public OutboxState Apply(OutboxJournal.DeliveryFailed failed)
    {
        var key = (failed.NotificationId, failed.Target);
        var entries = Entries;
        if (entries.TryGetValue(key, out var entry))
        {
            entries = failed.NextAttemptAt is { } next
                ? entries.SetItem(key, entry with { Attempts = entry.Attempts + 1, NextAttemptAt = next, LastError = failed.Error })
                : entries.Remove(key);
        }
        var record = new DeliveryRecord(failed.At, failed.NotificationId, failed.StatusCode, failed.Error, null);
        return this with { Entries = entries, Status = Status.SetItem(failed.Target, StatusOf(failed.Target) with { LastFailure = record }) };
    }

    /// <summary>A deleted target: its pending deliveries, status and open conditions go with it.</summary>
    public OutboxState WithoutTarget(int target) => this with
    {
        Entries = Entries.RemoveRange(Entries.Keys.Where(k => k.Target == target)),
        Status = Status.Remove(target),
        OpenKeys = OpenKeys.Remove(target),
    };

    public OutboxSnapshot ToSnapshot() => new(
        Entries.Values.OrderBy(e => e.Order).ToList(),
        Status,
        OpenKeys.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
        RecentIds,
        NextOrder);

    public static OutboxState FromSnapshot(OutboxSnapshot snapshot) => new(
        snapshot.Entries.ToImmutableDictionary(e => (e.NotificationId, e.Target)),
        snapshot.Status.ToImmutableDictionary(),
        snapshot.OpenKeys.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableList()),
        [.. snapshot.RecentIds],
        snapshot.NextOrder);
}
