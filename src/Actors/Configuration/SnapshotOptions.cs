namespace DPlaneOS.Actors.Configuration;

/// <summary><c>DPlaneOS:Snapshots</c>: the recursive snapshots <c>dplaned snapshot pre-upgrade</c> takes before an upgrade.</summary>
public sealed class SnapshotOptions
{
    /// <summary>How many <c>@pre-upgrade-*</c> snapshots are kept per pool, the new one included.</summary>
    public int PreUpgradeKeep { get; set; } = 5;

    /// <summary>Only these pools get pre-upgrade snapshots. Empty: every imported pool.</summary>
    public List<string> PreUpgradePools { get; set; } = [];

    /// <summary>Deadline for one <c>zfs snapshot -r</c> / <c>zfs destroy -r</c> (large pools take a while).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
