using CsCheck;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Zfs.Tests.Capacity;

public sealed class HysteresisLevelsTests
{
    private static readonly CapacityThresholds Defaults = new();

    private static List<CapacityLevel> Walk(CapacityThresholds thresholds, params double[] percents)
    {
        var level = CapacityLevel.Ok;
        var seen = new List<CapacityLevel>();
        foreach (var percent in percents)
        {
            level = thresholds.Next(level, percent);
            seen.Add(level);
        }
        return seen;
    }

    [Fact]
    public void A_pool_hovering_at_the_warning_threshold_rises_once_and_does_not_flap()
    {
        var levels = Walk(Defaults, 79, 80, 79.9, 79, 80, 78.5, 80.2, 79.99, 78);
        Assert.Equal(
            [CapacityLevel.Ok, CapacityLevel.Warning, CapacityLevel.Warning, CapacityLevel.Warning, CapacityLevel.Warning,
             CapacityLevel.Warning, CapacityLevel.Warning, CapacityLevel.Warning, CapacityLevel.Warning],
            levels);
    }

    [Fact]
    public void A_level_is_left_only_below_threshold_minus_hysteresis()
    {
        Assert.Equal(CapacityLevel.Warning, Defaults.Next(CapacityLevel.Warning, 78));
        Assert.Equal(CapacityLevel.Ok, Defaults.Next(CapacityLevel.Warning, 77.99));
        Assert.Equal(CapacityLevel.Critical, Defaults.Next(CapacityLevel.Critical, 88));
        Assert.Equal(CapacityLevel.Warning, Defaults.Next(CapacityLevel.Critical, 87.9));
        Assert.Equal(CapacityLevel.Emergency, Defaults.Next(CapacityLevel.Emergency, 93));
        Assert.Equal(CapacityLevel.Critical, Defaults.Next(CapacityLevel.Emergency, 92));
    }

    [Fact]
    public void Levels_rise_at_the_threshold_and_can_jump_and_fall_several_at_once()
    {
        Assert.Equal(CapacityLevel.Ok, Defaults.Next(CapacityLevel.Ok, 79.99));
        Assert.Equal(CapacityLevel.Warning, Defaults.Next(CapacityLevel.Ok, 80));
        Assert.Equal(CapacityLevel.Emergency, Defaults.Next(CapacityLevel.Ok, 95));
        Assert.Equal(CapacityLevel.Emergency, Defaults.Next(CapacityLevel.Warning, 100));
        Assert.Equal(CapacityLevel.Ok, Defaults.Next(CapacityLevel.Emergency, 10));
        Assert.Equal(CapacityLevel.Warning, Defaults.Next(CapacityLevel.Emergency, 85));
    }

    [Fact]
    public void An_unknown_percent_keeps_the_level()
    {
        Assert.Equal(CapacityLevel.Critical, Defaults.Next(CapacityLevel.Critical, null));
        Assert.Equal(CapacityLevel.Ok, Defaults.Next(CapacityLevel.Ok, null));
    }

    [Fact]
    public void Zero_hysteresis_follows_the_thresholds_exactly()
    {
        var exact = new CapacityThresholds(Hysteresis: 0);
        Assert.Equal([CapacityLevel.Warning, CapacityLevel.Ok, CapacityLevel.Warning], Walk(exact, 80, 79.9, 80));
    }

    [Fact]
    public void Bad_thresholds_are_reported_with_the_reason()
    {
        Assert.Null(Defaults.Check());
        Assert.Contains("ascend", new CapacityThresholds(Warning: 90, Critical: 80).Check());
        Assert.Contains("not a percentage", new CapacityThresholds(Emergency: 101).Check());
        Assert.Contains("negative", new CapacityThresholds(Hysteresis: -1).Check());
        Assert.Contains("below the lowest", new CapacityThresholds(Hysteresis: 80).Check());
    }

    /// <summary>
    /// For any walk: a level is only entered at its threshold, is never below the plain threshold
    /// level, is held only within threshold − hysteresis, and drops only when the value left that band.
    /// </summary>
    [Fact]
    public void Any_walk_keeps_the_hysteresis_rules()
    {
        double[] thresholds = [80, 90, 95];
        // Mostly near the thresholds, where hysteresis matters.
        var walks = Gen.Double[70, 100].Array[1, 60];
        var hystereses = Gen.Double[0, 10];
        Gen.Select(walks, hystereses).Sample((values, hysteresis) =>
        {
            var level = 0;
            foreach (var value in values)
            {
                var next = HysteresisLevels.Next(level, value, thresholds, hysteresis);
                var plain = thresholds.Count(t => value >= t);
                if (next < plain) return false;
                if (next > level && value < thresholds[next - 1]) return false;
                if (next > plain && value < thresholds[next - 1] - hysteresis) return false;
                if (next < level && value >= thresholds[level - 1] - hysteresis) return false;
                if (next > level && next != plain) return false;
                level = next;
            }
            return true;
        });
    }
}
