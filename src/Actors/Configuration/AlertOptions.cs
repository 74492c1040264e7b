namespace DPlaneOS.Actors.Configuration;

/// <summary>Debounce of the alert router (<c>DPlaneOS:Alerts</c>).</summary>
public sealed class AlertOptions
{
    /// <summary>How long a warning or critical condition must hold before it is first notified (spec: 30 s).</summary>
    public TimeSpan Hysteresis { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The least time between two notices of a condition at the same or a lower severity (spec: 5 min).</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws on values the router cannot work with, naming the setting.</summary>
    public void Validate()
    {
        if (Hysteresis < TimeSpan.Zero)
            throw new InvalidOperationException($"DPlaneOS:Alerts:Hysteresis must not be negative (is {Hysteresis})");
        if (Cooldown < TimeSpan.Zero)
            throw new InvalidOperationException($"DPlaneOS:Alerts:Cooldown must not be negative (is {Cooldown})");
    }
}
