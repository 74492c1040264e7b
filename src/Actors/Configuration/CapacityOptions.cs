using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Configuration;

/// <summary><c>DPlaneOS:Capacity</c>: the capacity guardian's thresholds and the emergency reserve.</summary>
public sealed class CapacityOptions
{
    /// <summary>Used percent from which a pool is at warning (spec: 80).</summary>
    public double Warning { get; set; } = 80;

    /// <summary>Used percent from which a pool is critical (spec: 90).</summary>
    public double Critical { get; set; } = 90;

    /// <summary>Used percent from which a pool is in emergency and its reserve is released (spec: 95).</summary>
    public double Emergency { get; set; } = 95;

    /// <summary>Percentage points a pool must drop below a threshold to leave its level, so it does not flap.</summary>
    public double Hysteresis { get; set; } = 2;

    /// <summary>The emergency reserve's size in percent of the pool's usable space (spec: 2).</summary>
    public double ReservePercent { get; set; } = 2;

    /// <summary>Re-arm a released reserve when its pool falls back to ok (below warning − hysteresis).</summary>
    public bool RearmOnRecovery { get; set; } = true;

    public CapacityThresholds Thresholds => new(Warning, Critical, Emergency, Hysteresis);

    /// <summary>Throws with what is wrong; called while the actor system starts, so bad settings stop the daemon with a clear message.</summary>
    public void Validate()
    {
        if (Thresholds.Check() is { } error)
            throw new InvalidOperationException($"DPlaneOS:Capacity: {error} (Warning {Warning}, Critical {Critical}, Emergency {Emergency}, Hysteresis {Hysteresis}).");
        if (ReservePercent is <= 0 or > 50 || double.IsNaN(ReservePercent))
            throw new InvalidOperationException($"DPlaneOS:Capacity:ReservePercent {ReservePercent} must be in (0, 50].");
    }
}
