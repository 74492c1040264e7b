using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.TestSupport.Daemon;

/// <summary>Alerts into a running daemon: wait for its sinks, publish as the alert router does.</summary>
public static class DaemonAlerts
{
    /// <summary>Waits until both sinks' subscriptions to the alert topic are live, so a publish cannot be lost.</summary>
    public static async Task WaitForAlertSinksAsync(this DaemonFixture daemon)
    {
        var sinks = new[]
        {
            await daemon.App.Services.GetRequiredService<IRequiredActor<WebhooksActor>>().GetAsync(),
            await daemon.App.Services.GetRequiredService<IRequiredActor<SmtpNotifierActor>>().GetAsync(),
        };
        var stopwatch = Stopwatch.StartNew();
        foreach (var sink in sinks)
        {
            while (true)
            {
                try
                {
                    var subscribed = await sink.Ask<OutboxProtocol.Subscribed>(OutboxProtocol.GetSubscribed.Instance, TimeSpan.FromSeconds(2));
                    if (subscribed.IsLive) break;
                }
                catch (AskTimeoutException)
                {
                    // Still recovering or restarting under its backoff supervisor.
                }
                if (stopwatch.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException($"{sink.Path} never subscribed to the alert topic");
                await Task.Delay(20);
            }
        }
    }

    public static void PublishAlert(this DaemonFixture daemon, AlertNotification notification) =>
        AlertBus.Publish(daemon.App.Services.GetRequiredService<ActorSystem>(), notification);
}
