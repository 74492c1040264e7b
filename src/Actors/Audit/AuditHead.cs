namespace DPlaneOS.Actors.Audit;

/// <summary>The newest link of the chain: where the next record attaches. Also the snapshot of the audit log.</summary>
[PersistedAs("audit.head.v1")]
public sealed record AuditHead(long Sequence, string Hash) : IPersistedEvent
{
    public static readonly AuditHead Genesis = new(0, AuditChain.GenesisHash);
}
