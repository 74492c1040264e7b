namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>
/// One difference, with typed values: apply uses <see cref="PlanItem.Commands"/>, never this text.
/// <paramref name="From"/> is null when the live value is absent or unknown, <paramref name="To"/> when removed.
/// </summary>
public sealed record PropertyChange(string Property, string? From, string? To)
{
    public override string ToString() => $"{Property}: {From ?? "(none)"} → {To ?? "(none)"}";
}
