using Docker.DotNet;
using Docker.DotNet.Models;

namespace DPlaneOS.Actors.Storage.Docker;

/// <summary><see cref="IDockerEngine"/> over the Docker Engine API (Docker.DotNet) at the configured endpoint.</summary>
public sealed class DockerEngine : IDockerEngine, IDisposable
{
    private readonly DockerClient _client;

    public DockerEngine(string endpoint)
    {
        _client = new DockerClientConfiguration(new Uri(endpoint)).CreateClient();
    }

    public async Task<IReadOnlyList<DockerContainer>> ListRunningAsync(CancellationToken cancellationToken)
    {
        var containers = await _client.Containers.ListContainersAsync(new ContainersListParameters { All = false }, cancellationToken).ConfigureAwait(false);
        return containers
            .Select(c => new DockerContainer(
                c.ID,
                c.Names?.FirstOrDefault()?.TrimStart('/') ?? c.ID,
                c.Mounts?.Select(m => m.Source).Where(s => !string.IsNullOrEmpty(s)).ToList() ?? []))
            .ToList();
    }

    public Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        _client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(gracePeriod.TotalSeconds) }, cancellationToken);

    public Task StartAsync(string id, CancellationToken cancellationToken) =>
        _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken);

    public void Dispose() => _client.Dispose();
}
