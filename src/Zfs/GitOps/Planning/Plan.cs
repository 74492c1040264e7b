using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>
/// The result of comparing state.yaml with the host. <paramref name="Id"/> is
/// <see cref="ComputeId"/> of the inputs, so approvals can be bound to exactly what was reviewed.
/// </summary>
public sealed record Plan(string Id, IReadOnlyList<PlanItem> Items, IReadOnlyList<UnmanagedResource> Unmanaged)
{
    public PlanSummary Summary => PlanSummary.Of(Items);

    /// <summary>SHA-256 (lower-case hex) of the canonical desired state plus the canonical live snapshot.</summary>
    public static string ComputeId(DesiredState desired, LiveState live) => CanonicalState.Hash(desired, live);
}
