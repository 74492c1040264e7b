using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Apply;

/// <summary>
/// The part of the desired state that decides one object's plan item, so apply can re-plan that
/// object cheaply from a scoped live read (see <see cref="Live.ILiveStateReader.ReadForAsync"/>).
/// </summary>
public static class DesiredScope
{
    public static DesiredState For(DesiredState desired, ResourceKind kind, string name) => kind switch
    {
        ResourceKind.Pool => desired with { Pools = desired.Pools.Where(p => p.Name == name).ToList(), Datasets = [], Shares = [] },
        // Pools carry the prune flags; ancestors and descendants decide "kept parent" and "child stays".
        ResourceKind.Dataset => desired with { Datasets = desired.Datasets.Where(d => Related(d.Name, name)).ToList(), Shares = [] },
        ResourceKind.Share => desired with
        {
            Pools = [],
            Datasets = [],
            Shares = desired.Shares.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList(),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static bool Related(string candidate, string name) =>
        candidate == name
        || candidate.StartsWith(name + "/", StringComparison.Ordinal)
        || name.StartsWith(candidate + "/", StringComparison.Ordinal);
}
