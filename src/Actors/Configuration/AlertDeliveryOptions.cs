namespace DPlaneOS.Actors.Configuration;

/// <summary>The alert sinks (webhooks, SMTP): timeouts, retry schedule and outbox bounds.</summary>
public sealed class AlertDeliveryOptions
{
    public WebhookDeliveryOptions Webhooks { get; set; } = new();

    public SmtpDeliveryOptions Smtp { get; set; } = new();
}

public sealed class WebhookDeliveryOptions
{
    /// <summary>Deadline of one HTTP attempt, connect to last response header.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public RetryOptions Retry { get; set; } = new();

    /// <summary>Pending deliveries kept per webhook; beyond it the oldest is dropped (and reported as a failure).</summary>
    public int MaxPendingPerWebhook { get; set; } = 1000;

    /// <summary>
    /// Link-local (169.254.0.0/16, fe80::/10, cloud metadata) targets are refused unless this is set.
    /// Loopback and private LAN receivers are allowed: they are where a NAS's receivers live.
    /// </summary>
    public bool AllowLinkLocalTargets { get; set; }
}

public sealed class SmtpDeliveryOptions
{
    /// <summary>MailKit's per-operation timeout (connect, TLS, AUTH, DATA); one whole send is bounded by it too.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public RetryOptions Retry { get; set; } = new();

    /// <summary>Pending e-mails kept; beyond it the oldest is dropped (and reported as a failure).</summary>
    public int MaxPending { get; set; } = 1000;
}

/// <summary>
/// Exponential backoff with jitter: the n-th failure waits <c>InitialDelay × 2^(n-1)</c>, capped at
/// <see cref="MaxDelay"/> and shortened by up to <see cref="Jitter"/> of itself, until a delivery is
/// older than <see cref="GiveUpAfter"/>.
/// </summary>
public sealed class RetryOptions
{
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery still failing this long after it was queued is abandoned (and reported).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Fraction (0–1) by which a delay is randomly shortened, so receivers coming back are not hit in lockstep.</summary>
    public double Jitter { get; set; } = 0.2;
}
