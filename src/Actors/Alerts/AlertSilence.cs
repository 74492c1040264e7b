namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// A silence (or, with a later <paramref name="Starts"/>, a maintenance window): while it runs, conditions it
/// matches are tracked and shown as usual but nobody is told; when it ends and a condition it held back still holds,
/// one notification goes out. Resolutions of conditions people were told of are never held back.
/// </summary>
/// <param name="Until">When it ends (exclusive); expiring it early moves this to the expiry time.</param>
public sealed record AlertSilence(
    string Id, AlertSilenceMatchers Matchers, DateTimeOffset Starts, DateTimeOffset Until, string Comment, string CreatedBy, DateTimeOffset CreatedAt)
{
    public bool RunsAt(DateTimeOffset at) => Starts <= at && at < Until;

    public bool Covers(AlertCondition condition, DateTimeOffset at) => RunsAt(at) && Matchers.Match(condition);
}

/// <summary>What a silence holds back; every given matcher must match, an empty one matches everything.</summary>
/// <param name="Types">Event type patterns (<see cref="EventTypePattern"/>) of the condition's newest event; empty: every type.</param>
/// <param name="Subject">A pattern (<c>*</c> for any run, case ignored) for the subject, e.g. <c>tank</c> or <c>tank/*</c>; null: every subject.</param>
/// <param name="Node">The node that observed it; null: any.</param>
public sealed record AlertSilenceMatchers(IReadOnlyList<string> Types, string? Subject, string? Node)
{
    public bool Match(AlertCondition condition) =>
        (Types.Count == 0 || EventTypePattern.MatchesAny(Types, condition.LastEvent.Type))
        && (Subject is null || EventTypePattern.Matches(Subject, condition.Subject))
        && (Node is null || string.Equals(Node, condition.LastEvent.Node, StringComparison.Ordinal));
}
