namespace DPlaneOS.Zfs;

/// <summary>
/// Levels over ascending thresholds with hysteresis: a level is entered when the value reaches
/// its threshold and left only when the value drops below threshold − hysteresis, so a value
/// hovering at a threshold does not flap between two levels.
/// </summary>
public static class HysteresisLevels
{
    /// <summary>
    /// The next level. Level 0 is below every threshold; level <c>i</c> means
    /// <paramref name="thresholds"/>[i − 1] was reached.
    /// </summary>
    /// <param name="current">The level held so far (0 … thresholds.Count).</param>
    /// <param name="value">The new observation (e.g. a used percent).</param>
    /// <param name="thresholds">Ascending.</param>
    /// <param name="hysteresis">How far below a threshold the value must drop to leave its level (≥ 0).</param>
    public static int Next(int current, double value, IReadOnlyList<double> thresholds, double hysteresis)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hysteresis);
        ArgumentOutOfRangeException.ThrowIfNegative(current);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(current, thresholds.Count);

        var reached = 0;
        for (var i = 0; i < thresholds.Count; i++)
        {
            if (value >= thresholds[i]) reached = i + 1;
        }
        if (reached >= current) return reached;

        // Falling: each level above the reached one is kept while the value stays within its band.
        for (var level = current; level > reached; level--)
        {
            if (value >= thresholds[level - 1] - hysteresis) return level;
        }
        return reached;
    }

    /// <summary>Null when the thresholds are usable (ascending, within 0–100, hysteresis below the lowest), else why not.</summary>
    public static string? Check(IReadOnlyList<double> thresholds, double hysteresis)
    {
        for (var i = 0; i < thresholds.Count; i++)
        {
            if (thresholds[i] is <= 0 or > 100 || double.IsNaN(thresholds[i])) return $"threshold {thresholds[i]} is not a percentage in (0, 100]";
            if (i > 0 && thresholds[i] <= thresholds[i - 1]) return $"thresholds must ascend, but {thresholds[i]} follows {thresholds[i - 1]}";
        }
        if (hysteresis < 0 || double.IsNaN(hysteresis)) return $"hysteresis {hysteresis} must not be negative";
        if (thresholds.Count > 0 && hysteresis >= thresholds[0]) return $"hysteresis {hysteresis} must be below the lowest threshold {thresholds[0]}";
        return null;
    }
}
