namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>A running container as the Docker guard sees it.</summary>
/// <param name="Name">Without Docker's leading slash.</param>
/// <param name="MountSources">Host paths of its bind mounts and volumes.</param>
public sealed record DockerContainer(string Id, string Name, IReadOnlyList<string> MountSources);
