namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>A declared SMB share. Names are unique case-insensitively, because SMB compares them that way.</summary>
public sealed record DesiredShare(
    string Name,
    string Path,
    bool ReadOnly,
    IReadOnlyList<string> ValidUsers,
    string Comment,
    bool GuestOk);
