namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>Reads the host into a <see cref="LiveState"/>. Never throws for host trouble: a failed probe is a <see cref="ProbeFailure"/>.</summary>
public interface ILiveStateReader
{
    /// <summary>Everything: pools, datasets, the daemon's shares and active SMB connections.</summary>
    Task<LiveState> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Just enough to re-plan one object before apply acts on it: all pools (a new pool's disks must
    /// be free) for a pool, the dataset and its descendants for a dataset, the shares and
    /// connections for a share.
    /// </summary>
    Task<LiveState> ReadForAsync(ResourceKind kind, string name, CancellationToken cancellationToken);
}
