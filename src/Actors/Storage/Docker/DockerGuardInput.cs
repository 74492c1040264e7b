using DPlaneOS.Actors.Storage.Pools;

namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>What the Docker guard decides on (<see cref="DockerGuardState.Decide"/>): pool changes, finished Docker work, retry timers.</summary>
public abstract record DockerGuardInput
{
    private DockerGuardInput()
    {
    }

    /// <param name="Mountpoints">Where the pool was last seen mounted (empty when never).</param>
    public sealed record PoolFailed(string Pool, IReadOnlyList<string> Mountpoints) : DockerGuardInput;

    /// <summary><c>pool.recovered</c>, or <c>pool.healthy</c> (the first healthy probe after a restart of the daemon).</summary>
    public sealed record PoolRecovered(string Pool) : DockerGuardInput;

    public sealed record StopFinished(string Pool, DockerOperationResult Result) : DockerGuardInput;

    public sealed record StartFinished(string Pool, DockerOperationResult Result) : DockerGuardInput;

    public sealed record RetryDue(string Pool) : DockerGuardInput;

    /// <summary>The input a bus event is to the guard of <paramref name="node"/>, or null when it does not concern it.</summary>
    public static DockerGuardInput? Of(MonitorEvent monitorEvent, string node)
    {
        // The topic spans a fleet; only this node's pools concern this node's containers.
        if (monitorEvent.Node != node) return null;
        return monitorEvent.Type switch
        {
            PoolEvents.Failed => new PoolFailed(monitorEvent.Subject, PoolEvents.Mountpoints(monitorEvent)),
            PoolEvents.Recovered or PoolEvents.Healthy => new PoolRecovered(monitorEvent.Subject),
            _ => null,
        };
    }
}
