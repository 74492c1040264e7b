using DPlaneOS.Zfs.Samba;

namespace DPlaneOS.Zfs.Host;

/// <summary><c>smbstatus --json</c>: who is connected to which share.</summary>
public interface ISmbStatus
{
    Task<HostResult<SmbStatus>> ReadAsync(CancellationToken cancellationToken = default);
}
