using DPlaneOS.Actors.Alerts;
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
}
