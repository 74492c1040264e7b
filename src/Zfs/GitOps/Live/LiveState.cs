using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>
/// One snapshot of the host. <paramref name="ActiveShareNames"/> comes from <c>smbstatus --json</c>
/// and is compared case-insensitively; <paramref name="ProbeFailures"/> lists what could not be read.
/// </summary>
public sealed record LiveState(
    IReadOnlyList<LivePool> Pools,
    IReadOnlyList<LiveDataset> Datasets,
    IReadOnlyList<SmbShare> Shares,
    IReadOnlySet<string> ActiveShareNames,
    IReadOnlyList<ProbeFailure> ProbeFailures)
{
    public static LiveState Empty { get; } = new([], [], [], new HashSet<string>(), []);
}
