using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Actors.Tests.Audit;

/// <summary>The start-up comparison of the recovered head with the tail anchor, and the marker it appends.</summary>
public sealed class AuditTailCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly string HashA = new('a', 64);
    private static readonly string HashB = new('b', 64);

    [Fact]
    public void A_missing_anchor_or_one_at_or_behind_the_journal_head_is_no_finding()
    {
        Assert.Null(AuditTailCheck.Find(AuditAnchorReading.Missing.Instance, AuditHead.Genesis, Now));
        Assert.Null(AuditTailCheck.Find(AuditAnchorReading.Missing.Instance, new AuditHead(7, HashA), Now));
        Assert.Null(AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(7, HashA)), new AuditHead(7, HashA), Now));
        // Written after the journal, the anchor may lag behind it (a crash between the two).
        Assert.Null(AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(5, HashB)), new AuditHead(7, HashA), Now));
    }

    [Fact]
    public void An_anchor_ahead_of_the_journal_is_a_truncation_with_both_ends_in_the_facts()
    {
        var finding = AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(10, HashA)), new AuditHead(7, HashB), Now)!;
        Assert.Equal(AuditTailCheck.ChainTruncated, finding.Type);
        Assert.Equal("10", finding.Facts[AuditTailCheck.AnchorSequence]);
        Assert.Equal(HashA, finding.Facts[AuditTailCheck.AnchorHash]);
        Assert.Equal("7", finding.Facts[AuditTailCheck.JournalSequence]);
        Assert.Equal(HashB, finding.Facts[AuditTailCheck.JournalHash]);
        Assert.Equal(Now.ToString("O"), finding.Facts[AuditTailCheck.Detected]);
        Assert.Contains("records 8 to 10 were deleted", finding.Message);

        var marker = finding.Marker("audit-n1", "n1");
        Assert.Equal(("system", AuditTailCheck.ChainTruncated, "audit-n1", "n1", false), (marker.Actor, marker.Action, marker.Resource, marker.Source, marker.Success));
        Assert.Equal(finding.Facts, marker.Details);
    }

    [Fact]
    public void The_same_sequence_with_another_hash_is_a_truncation_too()
    {
        var finding = AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(7, HashA)), new AuditHead(7, HashB), Now)!;
        Assert.Equal(AuditTailCheck.ChainTruncated, finding.Type);
        Assert.Contains("record 7 was replaced", finding.Message);
        // Everything deleted: the journal is empty.
        Assert.Equal("0", AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(3, HashA)), AuditHead.Genesis, Now)!.Facts[AuditTailCheck.JournalSequence]);
    }

    [Fact]
    public void An_invalid_anchor_is_its_own_finding_with_what_it_claimed()
    {
        var finding = AuditTailCheck.Find(new AuditAnchorReading.Invalid("MAC mismatch: edited", 12, HashA), new AuditHead(7, HashB), Now)!;
        Assert.Equal(AuditTailCheck.AnchorInvalid, finding.Type);
        Assert.Equal("MAC mismatch: edited", finding.Facts[AuditTailCheck.AnchorProblem]);
        Assert.Equal("12", finding.Facts[AuditTailCheck.AnchorSequence]);
        var unparsed = AuditTailCheck.Find(new AuditAnchorReading.Invalid("not valid JSON", null, null), new AuditHead(7, HashB), Now)!;
        Assert.False(unparsed.Facts.ContainsKey(AuditTailCheck.AnchorSequence));
    }

    [Fact]
    public void A_finding_is_already_recorded_only_by_a_marker_for_the_same_anchor()
    {
        var finding = AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(10, HashA)), new AuditHead(7, HashB), Now)!;
        var marker = AuditChain.Seal(AuditChainTests.Key, finding.Marker("audit-n1", "n1"), 8, Now, HashB);
        // Next start: the anchor still says 10 (it could not be renewed), the journal now ends at the marker.
        var again = AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(10, HashA)), new AuditHead(8, marker.Hash), Now.AddMinutes(1))!;
        Assert.True(again.AlreadyRecordedBy([marker]));

        var otherLoss = AuditTailCheck.Find(new AuditAnchorReading.Valid(new AuditHead(11, HashA)), new AuditHead(8, marker.Hash), Now)!;
        Assert.False(otherLoss.AlreadyRecordedBy([marker]));
        Assert.False(again.AlreadyRecordedBy([]));
        Assert.False(again.AlreadyRecordedBy([marker with { Actor = "admin" }]));
        var invalid = AuditTailCheck.Find(new AuditAnchorReading.Invalid("x", 10, HashA), new AuditHead(8, marker.Hash), Now)!;
        Assert.False(invalid.AlreadyRecordedBy([marker]));
    }
}
