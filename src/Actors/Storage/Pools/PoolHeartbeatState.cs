namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>A change worth telling the bus about: one <see cref="PoolEvents"/> type with its severity.</summary>
/// <param name="Path">The path a <see cref="PoolEvents.Tampered"/> (or the <see cref="PoolEvents.Clean"/> that ends it) is about.</param>
public sealed record PoolSignal(string Type, Severity Severity, string? Reason, string? Path = null);

/// <summary>The state after an observation and what to publish because of it (usually nothing).</summary>
public sealed record HeartbeatTransition(PoolHeartbeatState State, IReadOnlyList<PoolSignal> Signals);

/// <summary>
/// One pool's heartbeat as an immutable value: probe results and zpool states in, a
/// <see cref="PoolHealth"/> and the events to publish out. Events go out on changes of health only,
/// never per probe. A failure window stays open until a probe succeeds again: a pool state going back
/// to ONLINE, or the pool being unmounted, proves nothing about writes. A tampered probe path is its own
/// episode beside the health: one <see cref="PoolEvents.Tampered"/> when it starts (or moves to another path),
/// one <see cref="PoolEvents.Clean"/> at the next successful probe; meanwhile nothing was written, so the health
/// is <see cref="PoolHealth.Unknown"/> (never failed) unless zpool's state or an open failure window says more.
/// </summary>
public sealed record PoolHeartbeatState(
    PoolHealth Health,
    string? Reason,
    string? PoolState,
    ProbeCondition Probe,
    string? ProbeFailure,
    DateTimeOffset? Since,
    DateTimeOffset? LastProbeAt,
    DateTimeOffset? LastSuccessAt)
{
    /// <summary>Whether this pool has been judged Healthy since the daemon started (and so was told).</summary>
    public bool HealthStated { get; init; }

    /// <summary>The path the probe last found tampered with; null once a probe succeeds again.</summary>
    public string? TamperedPath { get; init; }

    /// <summary>Whether this heartbeat has stated the probe path's condition (tampered, or clean at a success) since the daemon started.</summary>
    public bool PathStated { get; init; }

    /// <summary>Pool states that mean the pool cannot serve I/O (exact match on the parsed state).</summary>
    public static readonly IReadOnlySet<string> FailingStates = new HashSet<string>(StringComparer.Ordinal) { "SUSPENDED", "UNAVAIL", "FAULTED" };

    public const string DegradedState = "DEGRADED";

    public static readonly PoolHeartbeatState Initial = new(PoolHealth.Unknown, null, null, ProbeCondition.None, null, null, null, null);

    public HeartbeatTransition Apply(HeartbeatObservation observation, DateTimeOffset at)
    {
        var next = observation switch
        {
            HeartbeatObservation.StateRead read => this with { PoolState = read.State },
            HeartbeatObservation.ProbeSucceeded => this with { Probe = ProbeCondition.Succeeded, ProbeFailure = null, LastProbeAt = at, LastSuccessAt = at },
            HeartbeatObservation.ProbeFailed failed => this with { Probe = ProbeCondition.Failed, ProbeFailure = failed.Reason, LastProbeAt = at },
            HeartbeatObservation.ProbeHung hung => this with
            {
                Probe = ProbeCondition.Hung,
                ProbeFailure = $"probe did not finish within {hung.Deadline.TotalSeconds:0.###} s (writes hang)",
            },
            HeartbeatObservation.NotMounted notMounted => this with { Probe = ProbeCondition.NotMounted, ProbeFailure = notMounted.Reason, LastProbeAt = at },
            HeartbeatObservation.ProbeTampered tampered => this with
            {
                Probe = ProbeCondition.Tampered,
                ProbeFailure = $"not probed: {tampered.Reason}",
                LastProbeAt = at,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(observation), observation, "unknown observation"),
        };
        var (health, reason) = next.Judge(observation is HeartbeatObservation.ProbeSucceeded);
        var signals = new List<PoolSignal>();
        if (health == Health) next = next with { Reason = reason };
        else
        {
            next = next with { Health = health, Reason = reason, Since = at, HealthStated = HealthStated || health == PoolHealth.Healthy };
            signals.AddRange(Signals(Health, health, reason, HealthStated));
        }
        return PathSignals(next, observation, signals);
    }

    private static HeartbeatTransition PathSignals(PoolHeartbeatState next, HeartbeatObservation observation, List<PoolSignal> signals)
    {
        switch (observation)
        {
            case HeartbeatObservation.ProbeTampered tampered:
                if (next.TamperedPath != tampered.Path) signals.Add(new PoolSignal(PoolEvents.Tampered, Severity.Warning, tampered.Reason, tampered.Path));
                next = next with { TamperedPath = tampered.Path, PathStated = true };
                break;
            case HeartbeatObservation.ProbeSucceeded when next.TamperedPath is { } path:
                signals.Add(new PoolSignal(PoolEvents.Clean, Severity.Resolved, $"a probe wrote and read back in its own directory again; {path} is no longer in the way", path));
                next = next with { TamperedPath = null, PathStated = true };
                break;
            case HeartbeatObservation.ProbeSucceeded when !next.PathStated:
                signals.Add(new PoolSignal(PoolEvents.Clean, Severity.Resolved, "probe path clean at the first probe since start"));
                next = next with { PathStated = true };
                break;
        }
        return new HeartbeatTransition(next, signals);
    }

    private (PoolHealth Health, string? Reason) Judge(bool freshSuccess)
    {
        if (PoolState is not null && FailingStates.Contains(PoolState)) return (PoolHealth.Failed, $"pool state is {PoolState}");
        if (Probe is ProbeCondition.Failed or ProbeCondition.Hung) return (PoolHealth.Failed, ProbeFailure);
        // Only a probe that succeeds after the failure closes the window.
        if (Health == PoolHealth.Failed && !freshSuccess) return (PoolHealth.Failed, Reason);
        if (PoolState == DegradedState) return (PoolHealth.Degraded, $"pool state is {DegradedState}");
        return Probe switch
        {
            ProbeCondition.NotMounted => (PoolHealth.NotProbeable, ProbeFailure),
            ProbeCondition.Succeeded => (PoolHealth.Healthy, null),
            ProbeCondition.Tampered => (PoolHealth.Unknown, ProbeFailure),
            _ => (PoolHealth.Unknown, null),
        };
    }

    private static IReadOnlyList<PoolSignal> Signals(PoolHealth from, PoolHealth to, string? reason, bool healthStated)
    {
        if (to == PoolHealth.Failed) return [new PoolSignal(PoolEvents.Failed, Severity.Critical, reason)];
        var signals = new List<PoolSignal>();
        if (from is PoolHealth.Failed or PoolHealth.Degraded)
            signals.Add(new PoolSignal(PoolEvents.Recovered, Severity.Resolved, $"was {from.ToString().ToLowerInvariant()}"));
        else if (to == PoolHealth.Healthy && !healthStated)
            signals.Add(new PoolSignal(PoolEvents.Healthy, Severity.Resolved, "healthy at the first probe since start"));
        if (to == PoolHealth.Degraded) signals.Add(new PoolSignal(PoolEvents.Degraded, Severity.Warning, reason));
        if (to == PoolHealth.NotProbeable) signals.Add(new PoolSignal(PoolEvents.NotProbeable, Severity.Info, reason));
        return signals;
    }
}
