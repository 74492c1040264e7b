using DPlaneOS.Actors.Configuration;

namespace DPlaneOS.Actors.Fleet;

/// <summary>
/// How long the fleet plane waits before it builds a new fleet actor system after one ended: doubling from
/// <see cref="FleetOptions.RebuildMinBackoff"/> per incarnation in a row that never became a member, capped
/// at <see cref="FleetOptions.RebuildMaxBackoff"/>. An incarnation that was a member starts the count anew.
/// </summary>
public static class FleetRebuildPolicy
{
    /// <summary>The count after an incarnation ended: 1 when it had been a member, else one more than before.</summary>
    public static int NextFailureCount(int failuresBefore, bool wasMember) => wasMember ? 1 : failuresBefore + 1;

    /// <summary>The wait before the next build, for <paramref name="failures"/> (at least 1) ends in a row.</summary>
    public static TimeSpan Backoff(int failures, FleetOptions options)
    {
        var min = options.RebuildMinBackoff;
        var max = options.RebuildMaxBackoff;
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var ticks = min.Ticks * Math.Pow(2, doublings);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
