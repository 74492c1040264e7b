namespace DPlaneOS.Actors.Audit;

/// <summary>
/// One link of the audit chain as it is stored in the journal (readable JSON).
/// <see cref="Hash"/> = HMAC-SHA256(audit.key, <see cref="AuditChain.CanonicalBytes"/> of every other field),
/// and <see cref="PreviousHash"/> is the <see cref="Hash"/> of sequence − 1 (<see cref="AuditChain.GenesisHash"/> for sequence 1).
/// </summary>
[PersistedAs("audit.record.v1")]
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset Time,
    string Actor,
    string Action,
    string Resource,
    IReadOnlyDictionary<string, string> Details,
    string Source,
    bool Success,
    string PreviousHash,
    string Hash) : IPersistedEvent;
