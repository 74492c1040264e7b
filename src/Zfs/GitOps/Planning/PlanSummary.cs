namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>Counts per action. Drift is anything but NOP.</summary>
public sealed record PlanSummary(int Create, int Modify, int Delete, int Blocked, int Nop)
{
    public bool HasBlocked => Blocked > 0;

    public bool Drifted => Create + Modify + Delete + Blocked > 0;

    public static PlanSummary Of(IEnumerable<PlanItem> items)
    {
        var list = items.ToList();
        int Count(PlanAction a) => list.Count(i => i.Action == a);
        return new PlanSummary(Count(PlanAction.Create), Count(PlanAction.Modify), Count(PlanAction.Delete), Count(PlanAction.Blocked), Count(PlanAction.Nop));
    }
}
