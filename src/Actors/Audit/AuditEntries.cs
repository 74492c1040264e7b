namespace DPlaneOS.Actors.Audit;

/// <summary>Builds audit entries for automatic actions.</summary>
public static class AuditEntries
{
    /// <summary>
    /// An automatic action: actor <c>system</c>, action = event type, resource = subject, source = the node.
    /// Success is false for types ending in <c>.failed</c> or when the data says <c>success=false</c>.
    /// </summary>
    public static AuditEntry FromMonitorEvent(MonitorEvent monitorEvent)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["event.id"] = monitorEvent.Id,
            ["event.severity"] = monitorEvent.Severity.ToString().ToLowerInvariant(),
            ["event.time"] = monitorEvent.Time.ToString("O"),
        };
        foreach (var (key, value) in AuditRedaction.Entries("data.", monitorEvent.Data.Select(d => KeyValuePair.Create(d.Key, (string?)d.Value))))
            details[key] = value;
        var failed = monitorEvent.Type.EndsWith(".failed", StringComparison.OrdinalIgnoreCase)
            || (monitorEvent.Data.TryGetValue("success", out var success) && string.Equals(success, "false", StringComparison.OrdinalIgnoreCase));
        return new AuditEntry(AuditEntry.SystemActor, monitorEvent.Type, monitorEvent.Subject, details, monitorEvent.Node, !failed);
    }
}
