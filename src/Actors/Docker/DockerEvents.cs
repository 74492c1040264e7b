namespace DPlaneOS.Actors.Docker;

/// <summary>The MonitorEvent types the Docker guard publishes, and their data keys.</summary>
public static class DockerEvents
{
    /// <summary>Warning: containers using a failed pool were stopped (Info when none used it).</summary>
    public const string Stopped = "docker.stopped";

    /// <summary>Info: the pool recovered; these stopped containers can be started again.</summary>
    public const string Restartable = "docker.restartable";

    /// <summary>Info: the pool recovered and the stopped containers were started again.</summary>
    public const string Restarted = "docker.restarted";

    /// <summary>Warning: the Docker Engine API did not answer; the guard retries with backoff, then gives up.</summary>
    public const string Unreachable = "docker.unreachable";

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
