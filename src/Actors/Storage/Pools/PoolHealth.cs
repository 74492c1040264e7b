namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>What the heartbeat concludes about one pool.</summary>
public enum PoolHealth
{
    /// <summary>Nothing conclusive: no probe finished yet, or the last one found its path tampered with and wrote nothing.</summary>
    Unknown,

    /// <summary>The last probe wrote, fsynced and read back its content, and zpool reports no problem.</summary>
    Healthy,

    /// <summary>zpool reports DEGRADED; writes still work.</summary>
    Degraded,

    /// <summary>SUSPENDED/UNAVAIL/FAULTED, a failed or mismatching probe, or a probe past its deadline.</summary>
    Failed,

    /// <summary>The pool is not mounted (or has no usable mountpoint), so there is nothing to write to.</summary>
    NotProbeable,
}

/// <summary>The outcome of the last probe.</summary>
public enum ProbeCondition
{
    None,
    Succeeded,
    Failed,
    Hung,
    NotMounted,
    Tampered,
}
