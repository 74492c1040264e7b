using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// Decides what a drift check is worth telling: <c>gitops.drift</c> (warning) when the set of
/// non-NOP items changes, <c>gitops.drift-resolved</c> when it becomes empty again, and
/// <c>gitops.check-failed</c> (warning) when checking fails for a new reason. The same drift or
/// the same failure every 5 minutes is not news. A missing state.yaml is "not configured", not drift.
/// </summary>
public sealed record DriftTracker(IReadOnlySet<string> Drift, string? LastError)
{
    public static DriftTracker InSync { get; } = new(new HashSet<string>(), null);

    public (DriftTracker Next, IReadOnlyList<MonitorEvent> Events) Observe(CheckResult check)
    {
        if (!check.Configured) return (this with { LastError = null }, []);
        if (check.Error is { } error)
        {
            if (error == LastError) return (this, []);
            var failed = MonitorEvent.Create("gitops.check-failed", Severity.Warning, check.StatePath, check.CheckedAt, new Dictionary<string, string>
            {
                ["error"] = error,
                ["errors"] = string.Join("\n", check.Errors.Select(e => e.ToString())),
            });
            return (this with { LastError = error }, [failed]);
        }

        var drift = check.Drift.Select(d => $"{d.Id}:{d.Action.ToString().ToLowerInvariant()}").ToHashSet(StringComparer.Ordinal);
        var next = new DriftTracker(drift, null);
        if (drift.SetEquals(Drift)) return (next, []);
        if (drift.Count == 0)
        {
            return (next, [MonitorEvent.Create("gitops.drift-resolved", Severity.Resolved, check.StatePath, check.CheckedAt, new Dictionary<string, string>
            {
                ["planId"] = check.PlanId ?? "",
                ["previous"] = string.Join(",", Drift.Order(StringComparer.Ordinal)),
            })]);
        }

        var summary = check.Summary!;
        return (next, [MonitorEvent.Create("gitops.drift", Severity.Warning, check.StatePath, check.CheckedAt, new Dictionary<string, string>
        {
            ["planId"] = check.PlanId ?? "",
            ["create"] = Invariant(summary.Create),
            ["modify"] = Invariant(summary.Modify),
            ["delete"] = Invariant(summary.Delete),
            ["blocked"] = Invariant(summary.Blocked),
            ["items"] = string.Join(",", drift.Order(StringComparer.Ordinal)),
        })]);
    }

    private static string Invariant(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
