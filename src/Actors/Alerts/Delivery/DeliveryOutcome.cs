namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>The result of one delivery attempt.</summary>
/// <param name="StatusCode">The receiver's HTTP status or SMTP reply code, when it answered.</param>
/// <param name="Error">What went wrong, for people; never holds a secret.</param>
public sealed record DeliveryOutcome(bool Delivered, int? StatusCode, string? Error, long LatencyMs)
{
    public static DeliveryOutcome Success(int? statusCode, long latencyMs) => new(true, statusCode, null, latencyMs);

    public static DeliveryOutcome Failure(int? statusCode, string error, long latencyMs) => new(false, statusCode, error, latencyMs);
}
