using DPlaneOS.Zfs.Capacity;

namespace DPlaneOS.Actors.Storage.Capacity;

/// <summary>What the actor does because of a decision, in order.</summary>
public abstract record CapacityGuardianEffect
{
    private CapacityGuardianEffect()
    {
    }

    /// <summary>Publish a MonitorEvent of this node on the local bus.</summary>
    public sealed record Publish(string Type, Severity Severity, string Pool, DateTimeOffset At, IReadOnlyDictionary<string, string> Data) : CapacityGuardianEffect;

    /// <summary>Read the reserves of <see cref="Pools"/> and feed back <see cref="CapacityGuardianInput.ReservesRead"/> with <see cref="Version"/>.</summary>
    public sealed record ReadReserves(int Version, IReadOnlyList<string> Pools) : CapacityGuardianEffect;

    /// <summary>
    /// Run the reserve change (<see cref="EmergencyReserve.ReserveAsync"/> or <see cref="EmergencyReserve.ReleaseAsync"/>) and
    /// feed back <see cref="CapacityGuardianInput.OperationFinished"/>; one of a request answers its sender.
    /// </summary>
    public sealed record RunOperation(ReserveOperation Operation, string Pool) : CapacityGuardianEffect;

    /// <summary>Answer the request being decided on (or the one whose operation finished).</summary>
    public sealed record Reply(ReserveOutcome Outcome) : CapacityGuardianEffect;

    /// <summary>A change is under way: keep the request being decided on until <see cref="UnstashAll"/>.</summary>
    public sealed record Stash : CapacityGuardianEffect
    {
        public static readonly Stash Instance = new();
    }

    /// <summary>The change finished: hand the waiting requests back (after the current message).</summary>
    public sealed record UnstashAll : CapacityGuardianEffect
    {
        public static readonly UnstashAll Instance = new();
    }

    /// <param name="Template">Akka log format (<c>{0}</c>, <c>{1}</c>…).</param>
    public sealed record Log(LogLevel Level, string Template, IReadOnlyList<object> Args) : CapacityGuardianEffect;
}

/// <summary>The state after an input and what to do because of it.</summary>
public sealed record CapacityGuardianDecision(CapacityGuardianState State, IReadOnlyList<CapacityGuardianEffect> Effects);
