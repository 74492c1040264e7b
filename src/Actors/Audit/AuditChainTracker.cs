using System.Globalization;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// Decides what a periodic chain check (<see cref="AuditChainWatch"/>) is worth telling. A break is
/// raised once (<see cref="Broken"/>, critical); the same break at the next checks is not news, a
/// different one (another first broken sequence, or a chain that cannot be verified at all) is raised
/// anew. A chain that verifies again after a break, and the first check after a start, state it once
/// (<see cref="Intact"/>, resolved), so a break reported before a restart and repaired meanwhile ends.
/// Every check ends with <see cref="Checked"/> (info, never an alert): the sign that a check finished.
/// </summary>
/// <param name="Last">The verdict of the last check; null before the first.</param>
public sealed record AuditChainTracker(AuditChainTracker.State? Last)
{
    /// <summary>A verdict as far as news goes: valid, or broken at a sequence (null: not verifiable at all).</summary>
    public sealed record State(bool Valid, long? FirstBroken);

    public const string Broken = "audit.chain.broken";
    public const string Intact = "audit.chain.intact";
    public const string Checked = "audit.chain.checked";

    public static AuditChainTracker Initial { get; } = new((State?)null);

    /// <param name="subject">The chain's persistence id, the subject of the writer's own audit events too.</param>
    public (AuditChainTracker Next, IReadOnlyList<MonitorEvent> Events) Observe(AuditVerification verdict, string subject, string node, DateTimeOffset now)
    {
        var current = new State(verdict.Valid, verdict.Valid ? null : verdict.FirstBrokenSequence);
        var facts = new Dictionary<string, string>
        {
            ["valid"] = verdict.Valid ? "true" : "false",
            ["records"] = Text(verdict.Records),
            ["lastSequence"] = Text(verdict.LastSequence),
            ["reason"] = verdict.Reason,
        };
        if (current.FirstBroken is { } sequence) facts["firstBrokenSequence"] = Text(sequence);

        var events = new List<MonitorEvent>();
        if (current != Last)
        {
            var data = new Dictionary<string, string>(facts);
            if (Last is { Valid: false, FirstBroken: var before }) data["previousFirstBrokenSequence"] = before is { } b ? Text(b) : "none";
            events.Add(MonitorEvent.Create(NodeIdentity.Named(node), verdict.Valid ? Intact : Broken, verdict.Valid ? Severity.Resolved : Severity.Critical, subject, now, data));
        }
        events.Add(MonitorEvent.Create(NodeIdentity.Named(node), Checked, Severity.Info, subject, now, facts));
        return (new AuditChainTracker(current), events);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
