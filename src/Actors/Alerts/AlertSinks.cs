using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// Starts the alert sinks that subscribe to <see cref="AlertBus"/>: <c>/user/alert-webhooks</c> and
/// <c>/user/alert-smtp</c>, each under a backoff supervisor (a persistent actor stops when its
/// journal fails; it comes back after the <see cref="Supervision"/> backoff and recovers its outbox).
/// </summary>
public static class AlertSinks
{
    private const string Section = $"{DPlaneOSOptions.Section}:{nameof(DPlaneOSOptions.AlertDelivery)}";

    /// <summary>
    /// Right after <see cref="AlertsSetup.AddAlertActors"/>: the sinks subscribe to the router's notifications in
    /// their PreStart, long before the router (which first recovers its journal) can resolve a condition on a
    /// producer's first statement.
    /// </summary>
    public static AkkaConfigurationBuilder AddAlertSinkActors(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) =>
            Start(system, registry, resolver.GetService<AlertDeliveryOptions>(), resolver.GetService<TimeProvider>(), resolver.GetService<NodeIdentity>()));

    private static void Start(ActorSystem system, IActorRegistry registry, AlertDeliveryOptions delivery, TimeProvider time, NodeIdentity node)
    {
        Require(delivery.Webhooks.AttemptTimeout > TimeSpan.Zero, "Webhooks:AttemptTimeout must be positive");
        Require(delivery.Webhooks.MaxPendingPerWebhook >= 1, "Webhooks:MaxPendingPerWebhook must be at least 1");
        Require(delivery.Smtp.Timeout > TimeSpan.Zero, "Smtp:Timeout must be positive");
        Require(delivery.Smtp.MaxPending >= 1, "Smtp:MaxPending must be at least 1");

        var supervision = Supervision.For(system);
        var webhookSender = HttpWebhookSender.Create(delivery.Webhooks, time);
        system.RegisterOnTermination(webhookSender.Dispose);
        var webhookSettings = new OutboxSinkSettings(
            RetrySchedule.From(delivery.Webhooks.Retry, $"{Section}:Webhooks:Retry"), delivery.Webhooks.MaxPendingPerWebhook, time, Random.Shared.NextDouble, AlertBus.Subscribe, node);
        var webhooks = supervision.RestartOnStop(system, Props.Create(() => new WebhooksActor(webhookSender, webhookSettings)), "alert-webhooks", "webhooks");
        registry.Register<WebhooksActor>(webhooks);

        var smtpSender = new MailKitSmtpSender(delivery.Smtp.Timeout, time);
        var smtpSettings = new OutboxSinkSettings(
            RetrySchedule.From(delivery.Smtp.Retry, $"{Section}:Smtp:Retry"), delivery.Smtp.MaxPending, time, Random.Shared.NextDouble, AlertBus.Subscribe, node);
        var smtp = supervision.RestartOnStop(system, Props.Create(() => new SmtpNotifierActor(smtpSender, smtpSettings)), "alert-smtp", "smtp");
        registry.Register<SmtpNotifierActor>(smtp);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new InvalidOperationException($"{Section}:{message}");
    }
}
