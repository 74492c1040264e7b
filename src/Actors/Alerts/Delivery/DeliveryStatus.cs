namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>One delivery, for the last-success / last-failure fields of a sink.</summary>
public sealed record DeliveryRecord(DateTimeOffset At, string NotificationId, int? StatusCode, string? Error, long? LatencyMs);

/// <summary>What a sink's target last did: its latest success and latest failure.</summary>
public sealed record DeliveryStatus(DeliveryRecord? LastSuccess, DeliveryRecord? LastFailure)
{
    public static readonly DeliveryStatus None = new(null, null);
}
