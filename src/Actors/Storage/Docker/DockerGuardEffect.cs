namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>What the actor does because of a decision, in order; what follows a <see cref="Persist"/> runs once it is journalled.</summary>
public abstract record DockerGuardEffect
{
    private DockerGuardEffect()
    {
    }

    public sealed record Persist(IPersistedEvent Record) : DockerGuardEffect;

    public sealed record Publish(string Type, Severity Severity, string Pool, IReadOnlyDictionary<string, string> Data) : DockerGuardEffect;

    /// <summary>Run <see cref="DockerOperations.StopAffectedAsync"/> and feed back <see cref="DockerGuardInput.StopFinished"/>.</summary>
    public sealed record StopContainers(string Pool, int Attempt, IReadOnlyList<string> Mountpoints) : DockerGuardEffect;

    /// <summary>Run <see cref="DockerOperations.StartAsync"/> and feed back <see cref="DockerGuardInput.StartFinished"/>.</summary>
    public sealed record StartContainers(string Pool, int Attempt, IReadOnlyList<ContainerRef> Containers) : DockerGuardEffect;

    /// <summary>Feed back <see cref="DockerGuardInput.RetryDue"/> after <see cref="Delay"/> (one timer per pool).</summary>
    public sealed record ScheduleRetry(string Pool, TimeSpan Delay) : DockerGuardEffect;

    /// <param name="Template">Akka log format (<c>{0}</c>, <c>{1}</c>…).</param>
    public sealed record Log(LogLevel Level, string Template, IReadOnlyList<object> Args) : DockerGuardEffect;
}

/// <summary>The state after an input and what to do because of it.</summary>
public sealed record DockerGuardDecision(DockerGuardState State, IReadOnlyList<DockerGuardEffect> Effects);
