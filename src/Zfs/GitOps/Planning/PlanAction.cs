namespace DPlaneOS.Zfs.GitOps.Planning;

public enum PlanAction
{
    Create,
    Modify,
    Delete,
    Blocked,
    Nop,
}
