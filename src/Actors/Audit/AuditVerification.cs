namespace DPlaneOS.Actors.Audit;

/// <summary>
/// The verdict of <c>GET /api/system/audit/verify-chain</c>.
/// </summary>
/// <param name="Records">How many records were read from the journal.</param>
/// <param name="FirstBrokenSequence">The first sequence that is missing, edited or out of place; null when valid.</param>
/// <param name="Reason">Why the chain is broken, or a one-line summary when it is intact.</param>
/// <param name="LastSequence">The newest sequence read from the journal (0 when empty).</param>
/// <param name="WriterSequence">The newest sequence the running writer has persisted, when it answered; the tail anchor.</param>
public sealed record AuditVerification(
    bool Valid,
    long Records,
    long? FirstBrokenSequence,
    string Reason,
    long LastSequence,
    long? WriterSequence);
