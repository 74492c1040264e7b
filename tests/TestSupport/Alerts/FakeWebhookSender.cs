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
    private readonly ConcurrentQueue<WebhookAttempt> _attempts = new();
    private readonly ConcurrentQueue<WebhookAttempt> _delivered = new();

    public Func<Webhook, AlertMessage, DeliveryOutcome> Respond { get; set; } = (_, _) => DeliveryOutcome.Success(200, 1);

    public TaskCompletionSource? Gate { get; set; }

    public IReadOnlyList<WebhookAttempt> Attempts => _attempts.ToArray();

    /// <summary>The attempts whose answer was "delivered".</summary>
    public IReadOnlyList<WebhookAttempt> Delivered => _delivered.ToArray();

    public static DeliveryOutcome Unavailable => DeliveryOutcome.Failure(503, "HTTP 503 Service Unavailable", 1);

    public async Task<DeliveryOutcome> SendAsync(Webhook webhook, AlertMessage message, CancellationToken cancellationToken)
    {
        _attempts.Enqueue(new WebhookAttempt(webhook, message));
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        var outcome = Respond(webhook, message);
        if (outcome.Delivered) _delivered.Enqueue(new WebhookAttempt(webhook, message));
        return outcome;
    }
}

/// <summary>One attempt: the webhook as it was configured at the time, and the message.</summary>
public sealed record WebhookAttempt(Webhook Webhook, AlertMessage Message)
{
    public int WebhookId => Webhook.Id;
}
