namespace DPlaneOS.Actors.Configuration;

/// <summary>The per-pool write probe (<c>DPlaneOS:Heartbeat</c>).</summary>
public sealed class HeartbeatOptions
{
    /// <summary>False: no pool is probed, so no pool.failed is raised and no container is stopped by it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two probes of one pool (spec: 30 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A probe still out after this long is a hung pool: failed, while it stays out.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pools to probe; empty means every imported pool.</summary>
    public List<string> Pools { get; set; } = [];

    /// <summary>Pools never probed, e.g. a backup pool whose disks should spin down.</summary>
    public List<string> ExcludedPools { get; set; } = [];

    public bool Watches(string pool) =>
        Enabled && (Pools.Count == 0 || Pools.Contains(pool, StringComparer.Ordinal)) && !ExcludedPools.Contains(pool, StringComparer.Ordinal);
}
