using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Heartbeat;

/// <summary>A change worth telling the bus about: one <see cref="PoolEvents"/> type with its severity.</summary>
public sealed record PoolSignal(string Type, Severity Severity, string? Reason);

/// <summary>The state after an observation and what to publish because of it (usually nothing).</summary>
public sealed record HeartbeatTransition(PoolHeartbeatState State, IReadOnlyList<PoolSignal> Signals);

/// <summary>
/// One pool's heartbeat as an immutable value: probe results and zpool states in, a
/// <see cref="PoolHealth"/> and the events to publish out. Events go out on changes of health only,
/// never per probe. A failure window stays open until a probe succeeds again: a pool state going back
/// to ONLINE, or the pool being unmounted, proves nothing about writes.
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
            _ => throw new ArgumentOutOfRangeException(nameof(observation), observation, "unknown observation"),
        };
        var (health, reason) = next.Judge(observation is HeartbeatObservation.ProbeSucceeded);
        if (health == Health) return new HeartbeatTransition(next with { Reason = reason }, []);

        next = next with { Health = health, Reason = reason, Since = at, HealthStated = HealthStated || health == PoolHealth.Healthy };
        return new HeartbeatTransition(next, Signals(Health, health, reason, HealthStated));
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
