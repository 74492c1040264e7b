using System.Globalization;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// What the writer finds at start when it compares the recovered head with the tail anchor, and the
/// marker record that puts a bad finding into the chain itself (so the verifier reports it for good).
/// </summary>
/// <param name="Type">The marker action and monitor event type: <see cref="ChainTruncated"/> or <see cref="AnchorInvalid"/>.</param>
/// <param name="Message">One line for the log.</param>
/// <param name="Facts">What the anchor said and where the journal ended; the marker's details and the event's data.</param>
public sealed record AuditTailCheck(string Type, string Message, IReadOnlyDictionary<string, string> Facts)
{
    /// <summary>The anchor names a newer head than the journal has: the tail was deleted while the daemon was stopped.</summary>
    public const string ChainTruncated = "audit.chain.truncated";

    /// <summary>The anchor file is not one the writer made with this key.</summary>
    public const string AnchorInvalid = "audit.anchor.invalid";

    public const string AnchorSequence = "anchor.sequence";
    public const string AnchorHash = "anchor.hash";
    public const string AnchorProblem = "anchor.problem";
    public const string JournalSequence = "journal.sequence";
    public const string JournalHash = "journal.hash";
    public const string Detected = "detected";

    /// <summary>Whether <paramref name="type"/> is a marker the writer appends itself (not an automatic action to audit again).</summary>
    public static bool IsMarkerType(string type) => type is ChainTruncated or AnchorInvalid;

    /// <summary>
    /// Null when the journal is consistent with the anchor: the anchor is missing, or it is at or
    /// behind the journal's head (it is written after the journal, so it may lag, never lead).
    /// </summary>
    public static AuditTailCheck? Find(AuditAnchorReading anchor, AuditHead journal, DateTimeOffset now)
    {
        switch (anchor)
        {
            case AuditAnchorReading.Valid { Head: var head }
                when head.Sequence > journal.Sequence || (head.Sequence == journal.Sequence && !string.Equals(head.Hash, journal.Hash, StringComparison.Ordinal)):
                var what = head.Sequence > journal.Sequence
                    ? $"records {journal.Sequence + 1} to {head.Sequence} were deleted"
                    : $"record {head.Sequence} was replaced";
                return new AuditTailCheck(ChainTruncated,
                    $"The audit journal lost its tail while the daemon was stopped (or was restored from an older backup): the tail anchor says sequence {head.Sequence} ({head.Hash}), the journal ends at {journal.Sequence} ({journal.Hash}); {what}",
                    FactsOf(head.Sequence, head.Hash, null, journal, now));
            case AuditAnchorReading.Invalid invalid:
                return new AuditTailCheck(AnchorInvalid,
                    $"The audit tail anchor was altered ({invalid.Problem}): deletions at the tail of the journal (which ends at {journal.Sequence}) cannot be ruled out",
                    FactsOf(invalid.Sequence, invalid.Hash, invalid.Problem, journal, now));
            default:
                return null;
        }
    }

    /// <summary>The marker record: actor <c>system</c>, action = <see cref="Type"/>, resource = the persistence id.</summary>
    public AuditEntry Marker(string persistenceId, string node) =>
        new(AuditEntry.SystemActor, Type, persistenceId, Facts, node, Success: false);

    /// <summary>
    /// True when one of <paramref name="markers"/> (the markers in the chain) already reports this same
    /// finding: the marker was written but the anchor could not be renewed before the daemon stopped.
    /// One loss, one marker.
    /// </summary>
    public bool AlreadyRecordedBy(IEnumerable<AuditRecord> markers) =>
        markers.Any(m => m.Actor == AuditEntry.SystemActor
            && m.Action == Type
            && new[] { AnchorSequence, AnchorHash, AnchorProblem }.All(k =>
                string.Equals(m.Details.GetValueOrDefault(k), Facts.GetValueOrDefault(k), StringComparison.Ordinal)));

    private static Dictionary<string, string> FactsOf(long? anchorSequence, string? anchorHash, string? problem, AuditHead journal, DateTimeOffset now)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [JournalSequence] = journal.Sequence.ToString(CultureInfo.InvariantCulture),
            [JournalHash] = journal.Hash,
            [Detected] = now.ToString("O", CultureInfo.InvariantCulture),
        };
        if (anchorSequence is not null) facts[AnchorSequence] = anchorSequence.Value.ToString(CultureInfo.InvariantCulture);
        if (anchorHash is not null) facts[AnchorHash] = AuditRedaction.Value(AnchorHash, anchorHash);
        if (problem is not null) facts[AnchorProblem] = AuditRedaction.Value(AnchorProblem, problem);
        return facts;
    }
}
