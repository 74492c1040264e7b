using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Tests.Audit;

public sealed class AuditChainTrackerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    internal static AuditVerification Valid(long records = 10) => new(true, records, null, $"Chain intact: {records} records verified.", records, records);

    internal static AuditVerification BrokenAt(long? sequence, long records = 10) =>
        new(false, records, sequence, sequence is null ? "The chain cannot be verified: no key" : $"HMAC mismatch at sequence {sequence}", records, records);

    private static (AuditChainTracker, IReadOnlyList<MonitorEvent>) Step(AuditChainTracker tracker, AuditVerification verdict) =>
        tracker.Observe(verdict, "audit-nas1", "nas1", At);

    private static IEnumerable<(string, Severity)> News(IReadOnlyList<MonitorEvent> events) =>
        events.Where(e => e.Type != AuditChainTracker.Checked).Select(e => (e.Type, e.Severity));

    [Fact]
    public void A_break_is_raised_once_and_the_same_break_later_is_not_news()
    {
        var (t1, e1) = Step(AuditChainTracker.Initial, Valid());
        Assert.Equal([(AuditChainTracker.Intact, Severity.Resolved)], News(e1));

        var (t2, e2) = Step(t1, BrokenAt(5));
        var broken = Assert.Single(e2, e => e.Type == AuditChainTracker.Broken);
        Assert.Equal(Severity.Critical, broken.Severity);
        Assert.Equal(("audit-nas1", "nas1"), (broken.Subject, broken.Node));
        Assert.Equal("5", broken.Data["firstBrokenSequence"]);
        Assert.Equal("HMAC mismatch at sequence 5", broken.Data["reason"]);

        // The chain grew, the reason text may change: the same first broken sequence is the same break.
        var (t3, e3) = Step(t2, BrokenAt(5, records: 20) with { Reason = "other words" });
        Assert.Empty(News(e3));
        Assert.Empty(News(Step(t3, BrokenAt(5)).Item2));
    }

    [Fact]
    public void Another_break_is_raised_anew_and_a_valid_chain_again_resolves_once()
    {
        var (t1, _) = Step(AuditChainTracker.Initial, BrokenAt(5));
        var (t2, e2) = Step(t1, BrokenAt(3));
        var again = Assert.Single(e2, e => e.Type == AuditChainTracker.Broken);
        Assert.Equal(("3", "5"), (again.Data["firstBrokenSequence"], again.Data["previousFirstBrokenSequence"]));

        var (t3, e3) = Step(t2, BrokenAt(null));
        Assert.Equal("none", Assert.Single(e3, e => e.Type == AuditChainTracker.Broken).Data.GetValueOrDefault("firstBrokenSequence", "none"));

        var (t4, e4) = Step(t3, Valid());
        var intact = Assert.Single(e4, e => e.Type == AuditChainTracker.Intact);
        Assert.Equal(Severity.Resolved, intact.Severity);
        Assert.Equal("none", intact.Data["previousFirstBrokenSequence"]);
        Assert.Empty(News(Step(t4, Valid()).Item2));
    }

    [Fact]
    public void The_first_check_after_a_start_states_the_level_and_every_check_ends_with_checked()
    {
        var (_, started) = Step(AuditChainTracker.Initial, BrokenAt(7));
        Assert.Equal([AuditChainTracker.Broken, AuditChainTracker.Checked], started.Select(e => e.Type));
        var (quiet, _) = Step(AuditChainTracker.Initial, Valid());
        var done = Assert.Single(Step(quiet, Valid(12)).Item2);
        Assert.Equal((AuditChainTracker.Checked, Severity.Info), (done.Type, done.Severity));
        Assert.Equal(("true", "12"), (done.Data["valid"], done.Data["records"]));
    }
}
