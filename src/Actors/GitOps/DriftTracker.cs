namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// Decides what a drift check is worth telling: <c>gitops.drift</c> (warning) when the set of
/// non-NOP items changes, <c>gitops.drift-resolved</c> when it becomes empty again, and
/// <c>gitops.check-failed</c> (warning) when checking fails for a new reason; <c>gitops.check-ok</c>
/// (resolved) when a check succeeds after a failure. The same drift or the same failure every 5 minutes
/// is not news. A missing state.yaml is "not configured", not drift.
/// <para>
/// The first successful check of a fresh tracker (<see cref="Initial"/>) states both levels even when
/// all is well (<c>gitops.check-ok</c>, and <c>gitops.drift-resolved</c> when in sync), so what was
/// reported before the daemon started and was fixed meanwhile ends. Check failures have their own
/// subject (<see cref="CheckSubject"/>): a resolution ends every condition of its family on its subject,
/// and <c>gitops.check-ok</c> must not end a drift that is still there.
/// </para>
/// </summary>
/// <param name="Stated">Whether a successful check has been stated since start.</param>
public sealed record DriftTracker(IReadOnlySet<string> Drift, string? LastError, bool Stated)
{
    /// <summary>A fresh tracker: nothing is known, the first successful check states its result.</summary>
    public static DriftTracker Initial { get; } = new(new HashSet<string>(), null, false);

    /// <summary>A tracker that has stated a successful check with no drift.</summary>
    public static DriftTracker InSync { get; } = Initial with { Stated = true };

    /// <summary>The subject of <c>gitops.check-failed</c> and <c>gitops.check-ok</c>: the state path with <c>#check</c>.</summary>
    public static string CheckSubject(string statePath) => statePath + "#check";

    public (DriftTracker Next, IReadOnlyList<MonitorEvent> Events) Observe(CheckResult check, NodeIdentity node)
    {
        if (check.Error is { } error && check.Configured)
        {
            if (error == LastError) return (this, []);
            var failed = MonitorEvent.Create(node, GitOpsEvents.CheckFailed, Severity.Warning, CheckSubject(check.StatePath), check.CheckedAt, new Dictionary<string, string>
            {
                ["error"] = error,
                ["errors"] = string.Join("\n", check.Errors.Select(e => e.ToString())),
            });
            return (this with { LastError = error }, [failed]);
        }

        var events = new List<MonitorEvent>();
        // Checking works again (or there is nothing to check any more): a reported failure ends.
        if (LastError is not null || (!Stated && check.Configured))
        {
            events.Add(MonitorEvent.Create(node, GitOpsEvents.CheckOk, Severity.Resolved, CheckSubject(check.StatePath), check.CheckedAt, new Dictionary<string, string>
            {
                ["previousError"] = LastError ?? "",
                ["reason"] = LastError is null ? "first successful check since start" : "checking works again",
            }));
        }
        if (!check.Configured) return (this with { LastError = null }, events);

        var drift = check.Drift.Select(d => $"{d.Id}:{d.Action.ToString().ToLowerInvariant()}").ToHashSet(StringComparer.Ordinal);
        var next = new DriftTracker(drift, null, Stated: true);
        if (Stated && drift.SetEquals(Drift)) return (next, events);
        if (drift.Count == 0)
        {
            var data = new Dictionary<string, string>
            {
                ["planId"] = check.PlanId ?? "",
                ["previous"] = string.Join(",", Drift.Order(StringComparer.Ordinal)),
            };
            if (!Stated) data["reason"] = "in sync at the first check since start";
            events.Add(MonitorEvent.Create(node, GitOpsEvents.DriftResolved, Severity.Resolved, check.StatePath, check.CheckedAt, data));
            return (next, events);
        }

        var summary = check.Summary!;
        events.Add(MonitorEvent.Create(node, GitOpsEvents.Drift, Severity.Warning, check.StatePath, check.CheckedAt, new Dictionary<string, string>
        {
            ["planId"] = check.PlanId ?? "",
            ["create"] = Invariant(summary.Create),
            ["modify"] = Invariant(summary.Modify),
            ["delete"] = Invariant(summary.Delete),
            ["blocked"] = Invariant(summary.Blocked),
            ["items"] = string.Join(",", drift.Order(StringComparer.Ordinal)),
        }));
        return (next, events);
    }

    private static string Invariant(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
