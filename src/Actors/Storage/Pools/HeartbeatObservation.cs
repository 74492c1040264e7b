namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>One input to <see cref="PoolHeartbeatState.Apply"/>.</summary>
public abstract record HeartbeatObservation
{
    private HeartbeatObservation()
    {
    }

    /// <summary>The pool's state as parsed from <c>zpool status</c> (ONLINE, DEGRADED, SUSPENDED…).</summary>
    public sealed record StateRead(string State) : HeartbeatObservation;

    /// <summary>The probe wrote, fsynced and read back its content.</summary>
    public sealed record ProbeSucceeded(TimeSpan Took) : HeartbeatObservation;

    /// <summary>A write or read error, or different content read back.</summary>
    public sealed record ProbeFailed(string Reason) : HeartbeatObservation;

    /// <summary>
    /// The probe found something planted on its path (a link, a FIFO, a file or directory not the daemon's) and
    /// wrote nothing. Not a failure: it says nothing about whether the pool takes writes.
    /// </summary>
    public sealed record ProbeTampered(string Path, string Reason) : HeartbeatObservation;

    /// <summary>The probe is still out after the deadline.</summary>
    public sealed record ProbeHung(TimeSpan Deadline) : HeartbeatObservation;

    /// <summary>Nothing to write to: not mounted, or no usable mountpoint.</summary>
    public sealed record NotMounted(string Reason) : HeartbeatObservation;
}
