namespace DPlaneOS.Actors.Audit;

/// <summary>
/// What happened, before the audit log gives it a place in the chain (sequence, time and hashes).
/// </summary>
/// <param name="Actor">The API token's name, or <see cref="SystemActor"/> for automatic actions.</param>
/// <param name="Action">"POST /api/zfs/capacity/reserve" (method and route pattern) or the monitor event type.</param>
/// <param name="Resource">The concrete request path or the event's subject.</param>
/// <param name="Details">Route values and a sanitized summary; never a secret (see <see cref="AuditRedaction"/>).</param>
/// <param name="Source">The client address, or the node name for automatic actions.</param>
public sealed record AuditEntry(
    string Actor,
    string Action,
    string Resource,
    IReadOnlyDictionary<string, string> Details,
    string Source,
    bool Success)
{
    public const string SystemActor = "system";
}
