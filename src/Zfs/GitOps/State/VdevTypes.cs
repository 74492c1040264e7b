namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>Spelling of <see cref="VdevType"/> in state.yaml and on the zpool command line.</summary>
public static class VdevTypes
{
    public static bool TryParse(string text, out VdevType type)
    {
        (var ok, type) = text switch
        {
            "stripe" => (true, VdevType.Stripe),
            "mirror" => (true, VdevType.Mirror),
            "raidz" or "raidz1" => (true, VdevType.Raidz1),
            "raidz2" => (true, VdevType.Raidz2),
            "raidz3" => (true, VdevType.Raidz3),
            _ => (false, VdevType.Stripe),
        };
        return ok;
    }

    public static string Name(this VdevType type) => type switch
    {
        VdevType.Stripe => "stripe",
        VdevType.Mirror => "mirror",
        VdevType.Raidz1 => "raidz1",
        VdevType.Raidz2 => "raidz2",
        VdevType.Raidz3 => "raidz3",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Fewest disks zpool accepts for the layout (raidzN needs N+1).</summary>
    public static int MinimumDisks(this VdevType type) => type switch
    {
        VdevType.Stripe => 1,
        VdevType.Mirror => 2,
        VdevType.Raidz1 => 2,
        VdevType.Raidz2 => 3,
        VdevType.Raidz3 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
