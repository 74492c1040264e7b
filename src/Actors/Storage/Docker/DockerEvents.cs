namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>The MonitorEvent types the Docker guard publishes, and their data keys.</summary>
public static class DockerEvents
{
    /// <summary>Warning: containers using a failed pool were stopped (Info when none used it).</summary>
    public const string Stopped = "docker.stopped";

    /// <summary>
    /// Resolved: the pool recovered (its failure window closed); these stopped containers can be started again
    /// (also those a restart could not start). Ends the <see cref="Stopped"/> alert.
    /// </summary>
    public const string Restartable = "docker.restartable";

    /// <summary>Resolved: the pool recovered and the stopped containers were started again. Ends the <see cref="Stopped"/> alert.</summary>
    public const string Restarted = "docker.restarted";

    /// <summary>Resolved: the pool recovered and its failure window, in which no container was stopped, closed.</summary>
    public const string WindowClosed = "docker.window-closed";

    /// <summary>Warning: the Docker Engine API did not answer; the guard retries with backoff, then gives up.</summary>
    public const string Unreachable = "docker.unreachable";

    /// <summary>Resolved: Docker answered a stop for a pool after <see cref="Unreachable"/> was reported for it.</summary>
    public const string Reachable = "docker.reachable";

    public const string PoolKey = "pool";
    public const string ModeKey = "mode";
    public const string CountKey = "count";

    /// <summary>Container ids, comma-separated.</summary>
    public const string IdsKey = "ids";

    /// <summary>Container names, comma-separated, in the order of <see cref="IdsKey"/>.</summary>
    public const string NamesKey = "names";

    /// <summary>"name: error" per container an operation could not handle, one per line.</summary>
    public const string FailuresKey = "failures";

    public const string ActionKey = "action";
    public const string ErrorKey = "error";
    public const string AttemptKey = "attempt";
    public const string GaveUpKey = "gaveUp";
}
