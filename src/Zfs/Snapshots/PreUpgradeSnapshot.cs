namespace DPlaneOS.Zfs.Snapshots;

/// <summary>One recursive pre-upgrade snapshot of a pool.</summary>
/// <param name="Name">The snapshot name, <c>pre-upgrade-20260101T120000Z</c>.</param>
/// <param name="Created">When ZFS created it (the <c>creation</c> property), null if not reported.</param>
/// <param name="UsedBytes">Space held only by this snapshot, summed over all datasets it covers.</param>
/// <param name="Datasets">How many datasets carry it.</param>
public sealed record PreUpgradeSnapshot(string Pool, string Name, DateTimeOffset? Created, long UsedBytes, int Datasets);
