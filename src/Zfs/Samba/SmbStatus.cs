namespace DPlaneOS.Zfs.Samba;

/// <summary>
/// What <c>smbstatus --json</c> reported. Lists are empty when Samba printed <c>{}</c> or left the
/// key out (4.22 omits <c>sessions</c>, <c>tcons</c> and <c>open_files</c> when there are none).
/// </summary>
public sealed record SmbStatus(
    string? Version,
    IReadOnlyList<SmbSession> Sessions,
    IReadOnlyList<SmbTreeConnect> TreeConnects,
    IReadOnlyList<SmbOpenFile> OpenFiles)
{
    /// <summary>Names of shares with at least one tree connect, excluding the <c>IPC$</c> pipe share. Case-insensitive, as Samba share names are.</summary>
    public IReadOnlySet<string> ActiveShares()
    {
        var shares = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tcon in TreeConnects)
            if (!string.Equals(tcon.Service, "IPC$", StringComparison.OrdinalIgnoreCase)) shares.Add(tcon.Service);
        return shares;
    }
}
