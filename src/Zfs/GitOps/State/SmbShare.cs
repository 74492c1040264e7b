namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// An SMB share: as state.yaml declares it and as the daemon's own Samba include file holds it, so the planner
/// compares like with like. Names are unique case-insensitively, because SMB compares them that way.
/// </summary>
public sealed record SmbShare(
    string Name,
    string Path,
    bool ReadOnly,
    IReadOnlyList<string> ValidUsers,
    string Comment,
    bool GuestOk);
