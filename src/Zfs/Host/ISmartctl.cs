using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Host;

/// <summary><c>smartctl --json</c> for one block device.</summary>
public interface ISmartctl
{
    Task<HostResult<SmartReport>> ReadAsync(string devicePath, CancellationToken cancellationToken = default);
}
