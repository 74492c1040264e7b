namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>The <see cref="MonitorEvent"/> types the pool heartbeat publishes, and their data keys.</summary>
public static class PoolEvents
{
    /// <summary>Critical: the pool does not take writes (or zpool says SUSPENDED/UNAVAIL/FAULTED).</summary>
    public const string Failed = "pool.failed";

    /// <summary>Warning: zpool says DEGRADED.</summary>
    public const string Degraded = "pool.degraded";

    /// <summary>Resolved: a failed or degraded pool is healthy again (or only degraded after a failure).</summary>
    public const string Recovered = "pool.recovered";

    /// <summary>
    /// Resolved: the first probe since the heartbeat started (fresh, not resumed within the daemon) found the
    /// pool healthy, with no failure seen before. It ends what an earlier run of the daemon left open, e.g. a
    /// <see cref="Failed"/> the alert router recovered from its journal; when nothing is open it changes nothing.
    /// </summary>
    public const string Healthy = "pool.healthy";

    /// <summary>Info: the pool is not mounted, so it cannot be probed; this is not a failure.</summary>
    public const string NotProbeable = "pool.not-probeable";

    /// <summary>
    /// Warning: the probe found a link, FIFO, or a file or directory not owned by the daemon where its own
    /// directory or file belongs (<see cref="PathKey"/>), and wrote nothing. Sent once per episode; the pool is not
    /// judged failed because of it. Someone who can write the pool root tried to aim the daemon's writes elsewhere.
    /// </summary>
    public const string Tampered = "heartbeat.tampered";

    /// <summary>
    /// Resolved: a probe wrote and read back in the daemon's own directory again after <see cref="Tampered"/>; also
    /// the first statement of a fresh heartbeat (its first successful probe), which ends a <see cref="Tampered"/>
    /// the alert router recovered from its journal.
    /// </summary>
    public const string Clean = "heartbeat.clean";

    public const string ReasonKey = "reason";

    /// <summary>The tampered path, on <see cref="Tampered"/> and on the <see cref="Clean"/> that ends it.</summary>
    public const string PathKey = "path";

    public const string StateKey = "state";
    public const string PreviousKey = "previous";

    /// <summary>Mountpoints of every mounted filesystem of the pool, one per line.</summary>
    public const string MountpointsKey = "mountpoints";

    public static IReadOnlyList<string> Mountpoints(MonitorEvent monitorEvent) =>
        monitorEvent.Data.TryGetValue(MountpointsKey, out var lines)
            ? lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];
}
