using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.TestSupport.Alerts;

/// <summary>Publishing alert notifications into a running daemon, as the alert router does.</summary>
public static class AlertTesting
{
    /// <summary>The node of a test daemon without DPlaneOS:NodeName: its host name.</summary>
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);

    public static AlertNotification Notification(
        string type, Severity severity, string subject,
        AlertNotificationKind kind = AlertNotificationKind.Raised, IReadOnlyDictionary<string, string>? data = null)
    {
        var now = DateTimeOffset.UtcNow;
        var monitorEvent = MonitorEvent.Create(DaemonNode, type, severity, subject, now, data);
        return new AlertNotification(Guid.NewGuid().ToString("N"), $"{type}|{subject}", kind, severity, monitorEvent, now);
    }

    /// <summary>The resolution of <paramref name="raised"/>'s condition.</summary>
    public static AlertNotification Resolution(AlertNotification raised)
    {
        var now = DateTimeOffset.UtcNow;
        var monitorEvent = MonitorEvent.Create(DaemonNode, raised.Event.Type, Severity.Resolved, raised.Event.Subject, now);
        return new AlertNotification(Guid.NewGuid().ToString("N"), raised.Key, AlertNotificationKind.Resolved, Severity.Resolved, monitorEvent, now);
    }

    /// <summary>Waits until both sinks' subscriptions to the alert topic are live, so a publish cannot be lost.</summary>
    public static async Task WaitForAlertSinksAsync(this DaemonFixture daemon)
    {
        var sinks = new[]
        {
            daemon.App.Services.GetRequiredService<IRequiredActor<WebhooksActor>>().ActorRef,
            daemon.App.Services.GetRequiredService<IRequiredActor<SmtpNotifierActor>>().ActorRef,
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
