namespace DPlaneOS.Actors.Storage.Docker;

public enum DockerAction
{
    Stop,
    Start,
}

/// <summary>What to do when the pending operation ends, because the pool changed meanwhile.</summary>
public enum DockerFollowUp
{
    None,
    Recover,
    Fail,
}

/// <summary>A stop or start under way (or waiting to retry) for a pool, with the attempt under way or next.</summary>
public sealed record PendingOperation(
    DockerAction Action, string Pool, int Attempt, IReadOnlyList<string> Mountpoints, IReadOnlyList<ContainerRef> Containers, DockerFollowUp Then)
{
    public string Verb => Action == DockerAction.Stop ? "stop" : "start";
}
