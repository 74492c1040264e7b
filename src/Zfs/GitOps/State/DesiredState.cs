namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// The validated content of state.yaml. <paramref name="PrunePools"/> turns undeclared live pools
/// into (always blocked) destroy reminders; <paramref name="PruneShares"/> turns undeclared shares
/// into removal candidates. Both default to false: undeclared objects are unmanaged and left alone.
/// </summary>
public sealed record DesiredState(
    int Version,
    IReadOnlyList<DesiredPool> Pools,
    IReadOnlyList<DesiredDataset> Datasets,
    IReadOnlyList<SmbShare> Shares,
    bool PrunePools = false,
    bool PruneShares = false);
