namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>The few Docker Engine API calls the guard needs. Failures throw (unreachable, API errors).</summary>
public interface IDockerEngine
{
    Task<IReadOnlyList<DockerContainer>> ListRunningAsync(CancellationToken cancellationToken);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="gracePeriod"/>.</summary>
    Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken);

    Task StartAsync(string id, CancellationToken cancellationToken);
}
