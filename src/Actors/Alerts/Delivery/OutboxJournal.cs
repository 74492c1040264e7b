namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>The outbox records a sink journals. A delivery is queued before any attempt and leaves on success or give-up.</summary>
public static class OutboxJournal
{
    /// <summary><paramref name="Message"/> is to be delivered to each of <paramref name="Targets"/> (webhook ids; SMTP uses 0).</summary>
    [PersistedAs("alerts.delivery-queued.v1")]
    public sealed record DeliveryQueued(AlertMessage Message, IReadOnlyList<int> Targets, DateTimeOffset At) : IPersistedEvent;

    [PersistedAs("alerts.delivery-succeeded.v1")]
    public sealed record DeliverySucceeded(string NotificationId, int Target, DateTimeOffset At, int? StatusCode, long LatencyMs) : IPersistedEvent;

    /// <summary>An attempt failed; <paramref name="NextAttemptAt"/> null means the delivery is abandoned (too old, or dropped).</summary>
    [PersistedAs("alerts.delivery-failed.v1")]
    public sealed record DeliveryFailed(string NotificationId, int Target, DateTimeOffset At, int? StatusCode, string Error, DateTimeOffset? NextAttemptAt)
        : IPersistedEvent;
}
