using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>Sends one alert e-mail with the given settings; never throws for delivery errors.</summary>
public interface ISmtpSender
{
    Task<DeliveryOutcome> SendAsync(SmtpSettings settings, AlertMessage message, CancellationToken cancellationToken);
}
