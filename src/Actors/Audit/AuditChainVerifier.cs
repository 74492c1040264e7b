using System.Globalization;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// Checks the chain one stored record at a time, so any number of records streams through in
/// constant memory. Every record must sit at the next sequence, carry that sequence, carry the HMAC
/// of its own fields and link to the previous record's hash (the genesis hash for sequence 1). The
/// first violation is the verdict; nothing is skipped or counted as "legacy". A marker the writer
/// appended at start because the tail anchor disagreed with the journal (<see cref="AuditTailCheck"/>)
/// breaks the chain where it says records were lost.
/// </summary>
/// <param name="writerHead">
/// What the running writer last persisted, read before the journal. Deleting records at the tail
/// leaves a chain that verifies; while the daemon runs, this anchor catches it. Null when unknown.
/// </param>
public sealed class AuditChainVerifier(AuditKey key, AuditHead? writerHead = null)
{
    private long _expected = 1;
    private string _previousHash = AuditChain.GenesisHash;
    private long _records;
    private long _lastSequence;
    private long _macFailures;
    private long? _firstMacMatch;
    private bool _firstMacMatchIsAnchorInvalid;
    private string? _hashAtWriterHead;
    private long? _firstBroken;
    private string? _reason;

    /// <summary>Feeds the entry stored at journal sequence <paramref name="storedSequence"/>, in ascending order.</summary>
    public void Add(long storedSequence, object? stored)
    {
        _records++;
        _lastSequence = Math.Max(_lastSequence, storedSequence);
        var record = stored as AuditRecord;
        var complete = record is not null && IsComplete(record);
        var macMatches = complete && string.Equals(AuditChain.ComputeHash(key, record!), record!.Hash, StringComparison.Ordinal);
        if (!macMatches) _macFailures++;
        else if (_firstMacMatch is null)
        {
            _firstMacMatch = storedSequence;
            _firstMacMatchIsAnchorInvalid = record!.Actor == AuditEntry.SystemActor && record.Action == AuditTailCheck.AnchorInvalid;
        }
        if (complete && storedSequence == writerHead?.Sequence) _hashAtWriterHead = record!.Hash;
        if (_firstBroken is null) Check(storedSequence, stored, record, complete, macMatches);
    }

    /// <summary>The journal could not give the next entry (e.g. its payload is no longer valid JSON).</summary>
    public void Unreadable(string why)
    {
        if (_firstBroken is null)
            Break(_expected, $"The record at sequence {_expected} cannot be read: {why}");
    }

    public AuditVerification Complete()
    {
        if (_firstBroken is null && writerHead is { Sequence: > 0 })
        {
            if (_lastSequence < writerHead.Sequence)
                Break(_lastSequence + 1, $"Records {_lastSequence + 1} to {writerHead.Sequence} are missing: the writer persisted up to {writerHead.Sequence}, the journal ends at {_lastSequence}.");
            else if (!string.Equals(_hashAtWriterHead, writerHead.Hash, StringComparison.Ordinal))
                Break(writerHead.Sequence, $"Record {writerHead.Sequence} is not the record the writer persisted.");
        }

        if (_firstBroken == 1 && _macFailures == _records)
            _reason = "No record matches audit.key: the key was replaced (or every record was edited). " + _reason;
        // A replaced key also invalidates the tail anchor, so the first start with it appends an
        // audit.anchor.invalid marker sealed with the new key: everything before it fails, it matches.
        else if (_firstBroken == 1 && _firstMacMatchIsAnchorInvalid && _macFailures == _firstMacMatch - 1)
            _reason = $"No record matches audit.key before sequence {_firstMacMatch}, where the start that found the tail anchor invalid wrote with it: the key was replaced (or every record before was edited). " + _reason;

        return _firstBroken is null
            ? new AuditVerification(true, _records, null,
                _records == 0 ? "The chain is empty." : $"Chain intact: {_records} records verified.", _lastSequence, writerHead?.Sequence)
            : new AuditVerification(false, _records, _firstBroken, _reason!, _lastSequence, writerHead?.Sequence);
    }

    private void Check(long storedSequence, object? stored, AuditRecord? record, bool complete, bool macMatches)
    {
        if (storedSequence > _expected)
        {
            Break(_expected, storedSequence == _expected + 1
                ? $"Sequence {_expected} is missing: the record was deleted (the next stored record is {storedSequence})."
                : $"Sequences {_expected} to {storedSequence - 1} are missing: the records were deleted (the next stored record is {storedSequence}).");
        }
        else if (storedSequence < _expected)
            Break(_expected, $"Record {storedSequence} appears again or out of order after record {_expected - 1}.");
        else if (record is null)
            Break(storedSequence, $"The journal entry at sequence {storedSequence} is not an audit record ({stored?.GetType().Name ?? "null"}).");
        else if (!complete)
            Break(storedSequence, $"Record {storedSequence} is malformed: a field is missing.");
        else if (!macMatches)
            Break(storedSequence, $"HMAC mismatch at sequence {storedSequence}: the record was edited (or audit.key is not the key it was written with).");
        else if (record.Sequence != storedSequence)
            Break(storedSequence, $"The record stored at sequence {storedSequence} was written as sequence {record.Sequence}: records were moved.");
        else if (!string.Equals(record.PreviousHash, _previousHash, StringComparison.Ordinal))
            Break(storedSequence, storedSequence == 1
                ? "Record 1 does not start the chain (its previous hash is not the genesis hash): earlier records were removed."
                : $"Record {storedSequence} does not link to record {storedSequence - 1} (its previous hash differs): a record was replaced.");
        else
        {
            _previousHash = record.Hash;
            _expected++;
            if (record.Actor == AuditEntry.SystemActor && AuditTailCheck.IsMarkerType(record.Action)) Marker(record);
        }
    }

    // A marker the writer appended at start (its HMAC and link are valid, so the chain wrote it):
    // what it reports was lost before it, so the chain is broken there even though every record links.
    private void Marker(AuditRecord marker)
    {
        var k = marker.Sequence;
        var details = marker.Details;
        var detected = details.GetValueOrDefault(AuditTailCheck.Detected, "?");
        var anchorText = details.GetValueOrDefault(AuditTailCheck.AnchorSequence);
        long.TryParse(details.GetValueOrDefault(AuditTailCheck.JournalSequence), NumberStyles.None, CultureInfo.InvariantCulture, out var m);
        if (marker.Action == AuditTailCheck.AnchorInvalid)
        {
            var problem = details.GetValueOrDefault(AuditTailCheck.AnchorProblem, "unreadable");
            Break(k, $"The tail anchor (audit.head) was altered ({problem}), so deletions before sequence {k} cannot be ruled out: the journal ended at {m}; detected at start {detected}, recorded as sequence {k}.");
        }
        else if (long.TryParse(anchorText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > m)
        {
            var lost = n == m + 1 ? $"Record {n} was" : $"Records {m + 1} to {n} were";
            Break(m + 1, $"{lost} deleted while the daemon was stopped (or the database was restored from an older backup): the tail anchor said {n}, the journal ended at {m}; detected at start {detected}, recorded as sequence {k}.");
        }
        else
        {
            Break(Math.Max(1, m), $"Record {m} is not the record the tail anchor named (anchor {anchorText ?? "?"}): the newest record was replaced while the daemon was stopped (or the database was restored from another backup); detected at start {detected}, recorded as sequence {k}.");
        }
    }

    // A field removed from the stored JSON deserializes as null; that is tampering, not a crash.
    private static bool IsComplete(AuditRecord r) =>
        r is { Actor: not null, Action: not null, Resource: not null, Details: not null, Source: not null, PreviousHash: not null, Hash: not null }
        && r.Details.All(d => d.Value is not null);

    private void Break(long sequence, string reason)
    {
        _firstBroken = sequence;
        _reason = reason;
    }
}
