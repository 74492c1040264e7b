using CsCheck;
using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Actors.Tests.Audit;

/// <summary>The verifier over stored records: intact, edited, deleted, reordered, moved, wrong key, tail anchor.</summary>
public sealed class AuditChainVerifierTests
{
    private static readonly AuditKey Key = AuditChainTests.Key;

    internal static List<AuditRecord> Chain(int count, AuditKey? key = null)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.GenesisHash;
        var time = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= count; i++)
        {
            var entry = new AuditEntry(i % 3 == 0 ? "system" : "admin", $"POST /api/things/{{name}}", $"/api/things/t{i}",
                new Dictionary<string, string> { ["route.name"] = $"t{i}", ["status"] = "200" }, "127.0.0.1", i % 5 != 0);
            var record = AuditChain.Seal(key ?? Key, entry, i, time.AddSeconds(i), previous);
            records.Add(record);
            previous = record.Hash;
        }
        return records;
    }

    private static AuditVerification Verify(IEnumerable<(long Stored, object? Record)> stored, AuditKey? key = null, AuditHead? writerHead = null)
    {
        var verifier = new AuditChainVerifier(key ?? Key, writerHead);
        foreach (var (position, record) in stored) verifier.Add(position, record);
        return verifier.Complete();
    }

    private static IEnumerable<(long, object?)> AsStored(IEnumerable<AuditRecord> records) => records.Select(r => (r.Sequence, (object?)r));

    [Fact]
    public void An_intact_chain_is_valid_and_an_empty_one_too()
    {
        var verdict = Verify(AsStored(Chain(50)));
        Assert.True(verdict.Valid, verdict.Reason);
        Assert.Equal(50, verdict.Records);
        Assert.Null(verdict.FirstBrokenSequence);
        Assert.Equal(50, verdict.LastSequence);
        Assert.True(Verify([]).Valid);
    }

    [Fact]
    public void An_edited_record_breaks_at_its_sequence()
    {
        var chain = Chain(10);
        chain[6] = chain[6] with { Details = new Dictionary<string, string> { ["route.name"] = "other", ["status"] = "200" } };
        var verdict = Verify(AsStored(chain));
        Assert.False(verdict.Valid);
        Assert.Equal(7, verdict.FirstBrokenSequence);
        Assert.Contains("HMAC mismatch at sequence 7", verdict.Reason);
    }

    [Fact]
    public void An_edited_and_rehashed_record_without_the_key_still_fails()
    {
        var chain = Chain(10);
        var stranger = AuditKey.FromBytes(new byte[32]);
        var forged = chain[3] with { Success = false };
        chain[3] = forged with { Hash = AuditChain.ComputeHash(stranger, forged) };
        Assert.Equal(4, Verify(AsStored(chain)).FirstBrokenSequence);
    }

    [Fact]
    public void A_deleted_record_breaks_at_the_missing_sequence()
    {
        var chain = Chain(10);
        chain.RemoveAt(4);
        var verdict = Verify(AsStored(chain));
        Assert.Equal(5, verdict.FirstBrokenSequence);
        Assert.Contains("Sequence 5 is missing", verdict.Reason);
        Assert.Equal(9, verdict.Records);
    }

    [Fact]
    public void Deleted_records_at_the_head_are_caught()
    {
        var verdict = Verify(AsStored(Chain(10).Skip(3)));
        Assert.Equal(1, verdict.FirstBrokenSequence);
        Assert.Contains("Sequences 1 to 3 are missing", verdict.Reason);
    }

    [Fact]
    public void Reordered_records_break_at_the_first_displaced_position()
    {
        var chain = Chain(10);
        (chain[3], chain[4]) = (chain[4], chain[3]);
        // Stored in the wrong order with their own sequence numbers.
        Assert.Equal(4, Verify(AsStored(chain)).FirstBrokenSequence);
        // Renumbered to hide the swap: the sequence inside the MAC gives it away.
        var renumbered = chain.Select((r, i) => ((long)i + 1, (object?)r));
        var verdict = Verify(renumbered);
        Assert.Equal(4, verdict.FirstBrokenSequence);
        Assert.Contains("was written as sequence 5", verdict.Reason);
    }

    [Fact]
    public void A_deletion_hidden_by_renumbering_is_caught()
    {
        var chain = Chain(10);
        chain.RemoveAt(4);
        var verdict = Verify(chain.Select((r, i) => ((long)i + 1, (object?)r)));
        Assert.Equal(5, verdict.FirstBrokenSequence);
    }

    [Fact]
    public void A_record_from_another_chain_with_the_same_key_does_not_link()
    {
        var chain = Chain(10);
        // Same key, same position, valid MAC, but sealed after a different predecessor (record 3).
        var stranger = AuditChain.Seal(Key, new AuditEntry("admin", "DELETE /api/x", "/api/x", new Dictionary<string, string>(), "10.0.0.1", true), 6, DateTimeOffset.UnixEpoch, chain[2].Hash);
        chain[5] = stranger;
        var verdict = Verify(AsStored(chain));
        Assert.Equal(6, verdict.FirstBrokenSequence);
        Assert.Contains("does not link to record 5", verdict.Reason);
    }

    [Fact]
    public void A_wrong_key_breaks_at_the_first_record_and_says_so()
    {
        var verdict = Verify(AsStored(Chain(10)), AuditKey.FromBytes(Enumerable.Repeat((byte)7, 32).ToArray()));
        Assert.Equal(1, verdict.FirstBrokenSequence);
        Assert.Contains("No record matches audit.key", verdict.Reason);
        Assert.Equal(10, verdict.Records);
    }

    [Fact]
    public void An_edited_first_record_is_not_blamed_on_the_key()
    {
        var chain = Chain(10);
        chain[0] = chain[0] with { Actor = "mallory" };
        var verdict = Verify(AsStored(chain));
        Assert.Equal(1, verdict.FirstBrokenSequence);
        Assert.DoesNotContain("No record matches", verdict.Reason);
    }

    [Fact]
    public void Malformed_and_foreign_entries_and_unreadable_rows_break_the_chain()
    {
        var chain = Chain(5);
        var nullActor = chain[2] with { Actor = null! };
        Assert.Equal(3, Verify(AsStored(chain.Take(2)).Append((3, nullActor))).FirstBrokenSequence);
        Assert.Contains("not an audit record", Verify(AsStored(chain.Take(2)).Append((3, "hello"))).Reason);

        var verifier = new AuditChainVerifier(Key);
        foreach (var (position, record) in AsStored(chain.Take(3))) verifier.Add(position, record);
        verifier.Unreadable("bad JSON");
        var verdict = verifier.Complete();
        Assert.Equal(4, verdict.FirstBrokenSequence);
        Assert.Contains("sequence 4 cannot be read: bad JSON", verdict.Reason);
    }

    [Fact]
    public void The_writer_head_catches_a_truncated_tail_and_a_replaced_last_record()
    {
        var chain = Chain(10);
        var head = new AuditHead(10, chain[9].Hash);
        Assert.True(Verify(AsStored(chain), writerHead: head).Valid);

        var truncated = Verify(AsStored(chain.Take(8)), writerHead: head);
        Assert.Equal(9, truncated.FirstBrokenSequence);
        Assert.Contains("Records 9 to 10 are missing", truncated.Reason);

        // The writer wrote 10 records, someone with the key rewrote the chain differently.
        var rewritten = Verify(AsStored(chain.Take(9).Append(
            AuditChain.Seal(Key, new AuditEntry("x", "y", "z", new Dictionary<string, string>(), "s", true), 10, DateTimeOffset.UnixEpoch, chain[8].Hash))), writerHead: head);
        Assert.Equal(10, rewritten.FirstBrokenSequence);
        Assert.Equal(10, rewritten.WriterSequence);
    }

    [Fact]
    public void Any_single_deletion_edit_or_swap_is_reported_at_exactly_its_sequence()
    {
        var tampering = Gen.Int[3, 40].SelectMany(count => Gen.Int[1, count].SelectMany(target => Gen.Int[0, 2].Select(kind => (count, target, kind))));
        tampering.Sample(t =>
        {
            var (count, target, kind) = t;
            var chain = Chain(count);
            var writerHead = new AuditHead(count, chain[^1].Hash);
            var index = target - 1;
            long expected = target;
            switch (kind)
            {
                case 0:
                    chain.RemoveAt(index);
                    break;
                case 1:
                    chain[index] = chain[index] with { Resource = chain[index].Resource + "!" };
                    break;
                default:
                    if (index == count - 1) index--;
                    (chain[index], chain[index + 1]) = (chain[index + 1], chain[index]);
                    expected = index + 1;
                    break;
            }
            // With the writer's head as tail anchor, deleting the last record is caught as well.
            var verdict = Verify(AsStored(chain), writerHead: writerHead);
            return !verdict.Valid && verdict.FirstBrokenSequence == expected;
        }, iter: 500);
    }

    private static readonly DateTimeOffset Detected = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The first <paramref name="kept"/> records of a chain, then the marker the writer appends at start for <paramref name="anchor"/>.</summary>
    private static List<AuditRecord> WithMarker(List<AuditRecord> chain, int kept, AuditAnchorReading anchor, AuditKey? key = null)
    {
        var journal = chain.Take(kept).ToList();
        var head = kept == 0 ? AuditHead.Genesis : new AuditHead(journal[^1].Sequence, journal[^1].Hash);
        var finding = AuditTailCheck.Find(anchor, head, Detected)!;
        journal.Add(AuditChain.Seal(key ?? Key, finding.Marker("audit-n1", "n1"), kept + 1, Detected, head.Hash));
        return journal;
    }

    [Fact]
    public void A_truncation_marker_breaks_the_chain_at_the_first_lost_sequence()
    {
        var chain = Chain(10);
        var records = WithMarker(chain, 7, new AuditAnchorReading.Valid(new AuditHead(10, chain[9].Hash)));
        var verdict = Verify(AsStored(records));
        Assert.False(verdict.Valid);
        Assert.Equal(8, verdict.FirstBrokenSequence);
        Assert.Equal(
            $"Records 8 to 10 were deleted while the daemon was stopped (or the database was restored from an older backup): the tail anchor said 10, the journal ended at 7; detected at start {Detected:O}, recorded as sequence 8.",
            verdict.Reason);
        Assert.Equal(8, verdict.Records);

        // Records written after the marker do not heal it.
        var grown = new List<AuditRecord>(records);
        var previous = records[^1].Hash;
        for (var i = 9; i <= 12; i++)
        {
            var next = AuditChain.Seal(Key, new AuditEntry("admin", "POST /x", "/x", new Dictionary<string, string>(), "127.0.0.1", true), i, Detected, previous);
            grown.Add(next);
            previous = next.Hash;
        }
        Assert.Equal(8, Verify(AsStored(grown)).FirstBrokenSequence);
    }

    [Fact]
    public void A_single_lost_record_an_emptied_journal_and_a_replaced_last_record_are_named()
    {
        var chain = Chain(10);
        var one = Verify(AsStored(WithMarker(chain, 9, new AuditAnchorReading.Valid(new AuditHead(10, chain[9].Hash)))));
        Assert.Equal(10, one.FirstBrokenSequence);
        Assert.StartsWith("Record 10 was deleted while the daemon was stopped", one.Reason);

        var all = Verify(AsStored(WithMarker(chain, 0, new AuditAnchorReading.Valid(new AuditHead(10, chain[9].Hash)))));
        Assert.Equal(1, all.FirstBrokenSequence);
        Assert.StartsWith("Records 1 to 10 were deleted", all.Reason);

        // The anchor names record 9 by a hash the journal's record 9 does not have.
        var replaced = Verify(AsStored(WithMarker(chain, 9, new AuditAnchorReading.Valid(new AuditHead(9, new string('f', 64))))));
        Assert.Equal(9, replaced.FirstBrokenSequence);
        Assert.StartsWith("Record 9 is not the record the tail anchor named", replaced.Reason);
    }

    [Fact]
    public void An_invalid_anchor_marker_breaks_at_its_own_sequence()
    {
        var chain = Chain(10);
        var verdict = Verify(AsStored(WithMarker(chain, 10, new AuditAnchorReading.Invalid("MAC mismatch: edited", 14, chain[9].Hash))));
        Assert.False(verdict.Valid);
        Assert.Equal(11, verdict.FirstBrokenSequence);
        Assert.Contains("The tail anchor (audit.head) was altered (MAC mismatch: edited), so deletions before sequence 11 cannot be ruled out", verdict.Reason);
        Assert.Contains($"detected at start {Detected:O}, recorded as sequence 11.", verdict.Reason);
    }

    [Fact]
    public void An_earlier_violation_wins_over_a_marker()
    {
        var chain = Chain(10);
        var records = WithMarker(chain, 7, new AuditAnchorReading.Valid(new AuditHead(10, chain[9].Hash)));
        records[2] = records[2] with { Resource = "/api/things/other" };
        var verdict = Verify(AsStored(records));
        Assert.Equal(3, verdict.FirstBrokenSequence);
        Assert.Contains("HMAC mismatch at sequence 3", verdict.Reason);
    }

    [Fact]
    public void Only_markers_the_chain_wrote_count()
    {
        var chain = Chain(10);
        var anchor = new AuditAnchorReading.Valid(new AuditHead(10, chain[9].Hash));
        // Sealed with another key (a forged row): an HMAC failure at its sequence, not a truncation verdict.
        var forged = WithMarker(chain, 7, anchor, AuditKey.FromBytes(new byte[32]));
        var verdict = Verify(AsStored(forged));
        Assert.Equal(8, verdict.FirstBrokenSequence);
        Assert.StartsWith("HMAC mismatch at sequence 8", verdict.Reason);

        // The same action by an API caller is an ordinary record.
        var records = chain.Take(7).ToList();
        records.Add(AuditChain.Seal(Key, new AuditEntry("admin", AuditTailCheck.ChainTruncated, "x",
            new Dictionary<string, string> { [AuditTailCheck.AnchorSequence] = "10", [AuditTailCheck.JournalSequence] = "7" }, "127.0.0.1", true), 8, Detected, chain[6].Hash));
        Assert.True(Verify(AsStored(records)).Valid);
    }

    [Fact]
    public void A_replaced_key_is_still_named_when_the_next_start_recorded_the_anchor_as_invalid()
    {
        var old = AuditKey.FromBytes(Enumerable.Repeat((byte)7, 32).ToArray());
        var chain = Chain(5, old);
        // The new key finds the anchor (signed with the old one) invalid and seals its marker with itself.
        var records = WithMarker(chain, 5, new AuditAnchorReading.Invalid("MAC mismatch: edited", 5, chain[4].Hash));
        var verdict = Verify(AsStored(records));
        Assert.Equal(1, verdict.FirstBrokenSequence);
        Assert.StartsWith("No record matches audit.key before sequence 6", verdict.Reason);

        // One edited first record followed by intact ones is still not blamed on the key.
        var edited = WithMarker(Chain(5), 5, new AuditAnchorReading.Invalid("MAC mismatch: edited", 5, new string('a', 64)));
        edited[0] = edited[0] with { Actor = "mallory" };
        Assert.DoesNotContain("No record matches", Verify(AsStored(edited)).Reason);
    }
}
