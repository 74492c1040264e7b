namespace DPlaneOS.Zfs.GitOps;

public enum PlanAction
{
    Create,
    Modify,
    Delete,
    Blocked,
    Nop,
}
