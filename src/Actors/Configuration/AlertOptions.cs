namespace DPlaneOS.Actors.Configuration;

/// <summary>Debounce of the alert router (<c>DPlaneOS:Alerts</c>).</summary>
public sealed class AlertOptions
{
    /// <summary>How long a warning or critical condition must hold before it is first notified (spec: 30 s).</summary>
    public TimeSpan Hysteresis { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The least time between two notices of a condition at the same or a lower severity (spec: 5 min).</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Event-type patterns whose conditions skip the hysteresis window: their producer has already waited
    /// (the fleet's failure detector before <c>fleet.node-unreachable</c>), so a dead node is told within seconds.
    /// </summary>
    public List<string> ImmediateTypes { get; set; } = ["fleet.node-unreachable"];

    /// <summary>The hysteresis window of a condition whose newest event has type <paramref name="type"/>.</summary>
    public TimeSpan HysteresisOf(string type) => EventTypePattern.MatchesAny(ImmediateTypes, type) ? TimeSpan.Zero : Hysteresis;

    /// <summary>Throws on values the router cannot work with, naming the setting.</summary>
    public void Validate()
    {
        if (Hysteresis < TimeSpan.Zero)
            throw new InvalidOperationException($"DPlaneOS:Alerts:Hysteresis must not be negative (is {Hysteresis})");
        if (Cooldown < TimeSpan.Zero)
            throw new InvalidOperationException($"DPlaneOS:Alerts:Cooldown must not be negative (is {Cooldown})");
        foreach (var pattern in ImmediateTypes)
            if (EventTypePattern.Error(EventTypePattern.Normalize(pattern)) is { } error)
                throw new InvalidOperationException($"DPlaneOS:Alerts:ImmediateTypes: {error}");
    }
}
