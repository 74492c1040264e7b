namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>A share from the daemon's own Samba include file.</summary>
public sealed record LiveShare(
    string Name,
    string Path,
    bool ReadOnly,
    IReadOnlyList<string> ValidUsers,
    string Comment,
    bool GuestOk);
