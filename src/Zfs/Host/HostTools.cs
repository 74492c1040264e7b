namespace DPlaneOS.Zfs.Host;

/// <summary>Where the host programs are and how long one call may take. Plain names are looked up on PATH (NixOS has no /usr/sbin).</summary>
public sealed record HostTools(
    string Zpool = "zpool",
    string Zfs = "zfs",
    string Smartctl = "smartctl",
    string Smbstatus = "smbstatus",
    string? SmbConfig = null)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
