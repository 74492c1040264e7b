using System.Collections.Concurrent;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;

namespace DPlaneOS.TestSupport.Alerts;

/// <summary>Records every send with the settings it used and answers as <see cref="Respond"/> says (sent by default).</summary>
public sealed class FakeSmtpSender : ISmtpSender
{
    private readonly ConcurrentQueue<(SmtpSettings Settings, AlertMessage Message)> _sends = new();

    public Func<SmtpSettings, AlertMessage, DeliveryOutcome> Respond { get; set; } = (_, _) => DeliveryOutcome.Success(250, 1);

    public IReadOnlyList<(SmtpSettings Settings, AlertMessage Message)> Sends => _sends.ToArray();

    public Task<DeliveryOutcome> SendAsync(SmtpSettings settings, AlertMessage message, CancellationToken cancellationToken)
    {
        _sends.Enqueue((settings, message));
        return Task.FromResult(Respond(settings, message));
    }
}
