using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>Makes one delivery attempt of <paramref name="message"/> to a webhook; never throws for delivery errors.</summary>
public interface IWebhookSender
{
    Task<DeliveryOutcome> SendAsync(Webhook webhook, AlertMessage message, CancellationToken cancellationToken);
}
