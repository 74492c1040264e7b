using System.Collections.Concurrent;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.TestSupport.Alerts;

/// <summary>
/// Records every attempt and answers as <see cref="Respond"/> says (delivered by default). A set
/// <see cref="Gate"/> holds attempts in flight until it completes, like a receiver that hangs.
/// </summary>
public sealed class FakeWebhookSender : IWebhookSender
{
    private readonly ConcurrentQueue<(int WebhookId, AlertMessage Message)> _attempts = new();
    private readonly ConcurrentQueue<(int WebhookId, AlertMessage Message)> _delivered = new();

    public Func<Webhook, AlertMessage, DeliveryOutcome> Respond { get; set; } = (_, _) => DeliveryOutcome.Success(200, 1);

    public TaskCompletionSource? Gate { get; set; }

    public IReadOnlyList<(int WebhookId, AlertMessage Message)> Attempts => _attempts.ToArray();

    /// <summary>The attempts whose answer was "delivered".</summary>
    public IReadOnlyList<(int WebhookId, AlertMessage Message)> Delivered => _delivered.ToArray();

    public static DeliveryOutcome Unavailable => DeliveryOutcome.Failure(503, "HTTP 503 Service Unavailable", 1);

    public async Task<DeliveryOutcome> SendAsync(Webhook webhook, AlertMessage message, CancellationToken cancellationToken)
    {
        _attempts.Enqueue((webhook.Id, message));
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        var outcome = Respond(webhook, message);
        if (outcome.Delivered) _delivered.Enqueue((webhook.Id, message));
        return outcome;
    }
}
