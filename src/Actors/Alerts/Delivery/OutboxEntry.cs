namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>One pending delivery of one message to one target.</summary>
/// <param name="Order">Queue order within the sink; a target's deliveries go out oldest first.</param>
/// <param name="Attempts">Failed attempts so far.</param>
public sealed record OutboxEntry(
    AlertMessage Message,
    int Target,
    long Order,
    DateTimeOffset QueuedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError)
{
    public string NotificationId => Message.Id;
}

/// <summary>The outbox as a snapshot stores it.</summary>
public sealed record OutboxSnapshot(
    IReadOnlyList<OutboxEntry> Entries,
    IReadOnlyDictionary<int, DeliveryStatus> Status,
    IReadOnlyDictionary<int, IReadOnlyList<string>> OpenKeys,
    IReadOnlyList<string> RecentIds,
    long NextOrder);
