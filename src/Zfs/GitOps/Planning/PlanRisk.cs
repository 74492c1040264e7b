namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>How much a plan item can hurt. Ordered, so the highest of several reasons wins.</summary>
public enum PlanRisk
{
    Low,
    Medium,
    High,
    Critical,
}
