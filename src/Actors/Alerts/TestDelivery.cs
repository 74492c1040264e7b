using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts;

/// <summary>The answer of a sink's test route: one immediate attempt, no retry, nothing queued.</summary>
/// <param name="Status">The receiver's HTTP status or SMTP reply code; null when it never answered.</param>
public sealed record TestDelivery(bool Delivered, int? Status, long LatencyMs, string? Error)
{
    public static TestDelivery From(DeliveryOutcome outcome) => new(outcome.Delivered, outcome.StatusCode, outcome.LatencyMs, outcome.Error);
}
