namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>Layout of a pool's single top-level vdev group. <c>raidz</c> in state.yaml means <see cref="Raidz1"/>.</summary>
public enum VdevType
{
    Stripe,
    Mirror,
    Raidz1,
    Raidz2,
    Raidz3,
}
