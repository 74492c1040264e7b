namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>
/// One step of a plan. <paramref name="Id"/> is stable across plans (<c>dataset:tank/media</c>).
/// <paramref name="Commands"/> are argument arrays for the host runner, in order. A BLOCKED item has
/// commands only when <paramref name="RequiresApproval"/> is true: approval is then what lets apply
/// run them (with its own re-check). Any other BLOCKED item has none and cannot be applied.
/// Share items have no commands: the SMB-config writer applies them from the desired shares.
/// </summary>
public sealed record PlanItem(
    string Id,
    PlanAction Action,
    ResourceKind Kind,
    string Name,
    PlanRisk Risk,
    string Reason,
    IReadOnlyList<IReadOnlyList<string>> Commands,
    IReadOnlyList<PropertyChange> Changes,
    bool RequiresApproval = false)
{
    public static string IdFor(ResourceKind kind, string name) => kind switch
    {
        ResourceKind.Pool => "pool:" + name,
        ResourceKind.Dataset => "dataset:" + name,
        ResourceKind.Share => "share:" + name,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public override string ToString() => $"{Action} {Id} [{Risk}] {Reason}";
}
