namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>A target's delivery state as reads show it: how many wait, the last success and the last failure.</summary>
public sealed record DeliveryView(int Pending, DeliveryRecord? LastSuccess, DeliveryRecord? LastFailure)
{
    public static DeliveryView Of(OutboxState outbox, int target)
    {
        var status = outbox.StatusOf(target);
        return new(outbox.Pending(target), status.LastSuccess, status.LastFailure);
    }
}
