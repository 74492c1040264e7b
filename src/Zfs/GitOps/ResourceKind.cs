namespace DPlaneOS.Zfs.GitOps;

public enum ResourceKind
{
    Pool,
    Dataset,
    Share,
}
