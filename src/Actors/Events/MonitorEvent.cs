namespace DPlaneOS.Actors.Events;

/// <summary>How bad an observation is. <see cref="Resolved"/> ends a condition that was reported.</summary>
public enum Severity
{
    Info,
    Warning,
    Critical,
    Resolved,
}

/// <summary>
/// One observation on the event bus. Immutable; producers publish it on <see cref="MonitorBus.Topic"/>
/// and never call a sink directly. Types are named like ZED's event classes: <c>pool.failed</c>,
/// <c>pool.degraded</c>, <c>capacity.critical</c>, <c>gitops.drift</c>.
/// </summary>
/// <param name="Id">Unique per event (a GUID), so sinks can deliver exactly once.</param>
/// <param name="Type">What happened, dotted lower case.</param>
/// <param name="Subject">What it happened to: a pool, a dataset, a path. With Type, the debounce key.</param>
/// <param name="Node">The appliance that observed it (<see cref="Node.NodeIdentity.Name"/>), for fleets.</param>
/// <param name="Data">Details as strings, so every sink and the journal can carry them unchanged.</param>
public sealed record MonitorEvent(
    string Id,
    string Type,
    Severity Severity,
    string Subject,
    string Node,
    DateTimeOffset Time,
    IReadOnlyDictionary<string, string> Data)
{
    public static MonitorEvent Create(Node.NodeIdentity node, string type, Severity severity, string subject, DateTimeOffset time, IReadOnlyDictionary<string, string>? data = null) =>
        new(Guid.NewGuid().ToString("N"), type, severity, subject, node.Name, time, data ?? new Dictionary<string, string>());
}
