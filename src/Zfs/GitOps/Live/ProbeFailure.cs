namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>
/// A live probe that failed. Probes fail closed: every plan item it covers becomes BLOCKED
/// "cannot verify", never DELETE. <paramref name="Scope"/> is a pool or dataset name (the item and
/// everything under it) or a share name; null covers every resource of <paramref name="Kind"/>.
/// </summary>
public sealed record ProbeFailure(string Probe, ResourceKind Kind, string? Scope, ProbeImpact Impact, string Message)
{
    public static ProbeFailure SmbStatus(string message) =>
        new("smbstatus", ResourceKind.Share, null, ProbeImpact.Deletions, message);

    public static ProbeFailure ZfsGet(string? scope, string message) =>
        new("zfs get", ResourceKind.Dataset, scope, ProbeImpact.Everything, message);

    public static ProbeFailure ZpoolStatus(string? pool, string message) =>
        new("zpool status", ResourceKind.Pool, pool, ProbeImpact.Everything, message);

    public static ProbeFailure SambaInclude(string message) =>
        new("samba include", ResourceKind.Share, null, ProbeImpact.Everything, message);

    public bool Covers(ResourceKind kind, string name)
    {
        if (kind != Kind) return false;
        if (Scope is null) return true;
        return kind == ResourceKind.Share
            ? string.Equals(Scope, name, StringComparison.OrdinalIgnoreCase)
            : name == Scope || name.StartsWith(Scope + "/", StringComparison.Ordinal);
    }

    public override string ToString() => $"{Probe} failed{(Scope is null ? "" : $" for {Scope}")}: {Message}";
}
