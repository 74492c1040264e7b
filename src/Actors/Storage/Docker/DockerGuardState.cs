using System.Collections.Immutable;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Persistence;

namespace DPlaneOS.Actors.Storage.Docker;

public sealed record ContainerRef(string Id, string Name);

public sealed record ContainerFailure(string Id, string Name, string Error);

/// <summary>A pool's failure window: opened when its containers were stopped, closed when the pool recovered.</summary>
public sealed record FailureWindow(string Pool, DateTimeOffset OpenedAt, DockerStopMode Mode, IReadOnlyList<ContainerRef> Stopped, IReadOnlyList<ContainerFailure> NotStopped);

/// <summary>Journal: containers stopped because <see cref="Pool"/> failed (opens its window).</summary>
[PersistedAs("docker.containers-stopped.v1")]
public sealed record ContainersStopped(
    string Pool, DockerStopMode Mode, IReadOnlyList<ContainerRef> Stopped, IReadOnlyList<ContainerFailure> NotStopped, DateTimeOffset At) : IPersistedEvent;

/// <summary>Journal: <see cref="Pool"/> recovered (closes its window), with the containers started again, if any.</summary>
[PersistedAs("docker.window-closed.v1")]
public sealed record FailureWindowClosed(
    string Pool, IReadOnlyList<ContainerRef> Restarted, IReadOnlyList<ContainerFailure> NotRestarted, DateTimeOffset At) : IPersistedEvent;

/// <summary>The Docker guard's journalled state: open failure windows by pool.</summary>
public sealed record DockerGuardState(ImmutableDictionary<string, FailureWindow> OpenWindows)
{
    public static readonly DockerGuardState Empty = new(ImmutableDictionary.Create<string, FailureWindow>(StringComparer.Ordinal));

    public DockerGuardState Apply(IPersistedEvent recorded) => recorded switch
    {
        ContainersStopped stopped => this with
        {
            OpenWindows = OpenWindows.SetItem(stopped.Pool, new FailureWindow(stopped.Pool, stopped.At, stopped.Mode, stopped.Stopped, stopped.NotStopped)),
        },
        FailureWindowClosed closed => this with { OpenWindows = OpenWindows.Remove(closed.Pool) },
        _ => this,
    };
}
