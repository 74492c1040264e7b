namespace DPlaneOS.Actors.Configuration;

/// <summary>Which containers the Docker guard stops when a pool fails.</summary>
public enum DockerStopMode
{
    /// <summary>Only running containers with a bind mount or volume under the failed pool's mountpoints.</summary>
    Pool,

    /// <summary>Every running container.</summary>
    All,
}

/// <summary>The Docker guard (<c>DPlaneOS:Docker</c>): stops containers that use a failed pool.</summary>
public sealed class DockerOptions
{
    /// <summary>Docker Engine API endpoint.</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";

    public DockerStopMode StopMode { get; set; } = DockerStopMode.Pool;

    /// <summary>Start the stopped containers again when the pool recovers; otherwise only list them.</summary>
    public bool RestartOnRecovery { get; set; }

    /// <summary>How long a container gets after SIGTERM before Docker kills it.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline for one Docker operation (list, or stopping all affected containers).</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First wait before retrying when Docker cannot be reached; doubles up to <see cref="RetryMaxBackoff"/>.</summary>
    public TimeSpan RetryMinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per operation before the guard gives up and says so.</summary>
    public int MaxAttempts { get; set; } = 5;
}
