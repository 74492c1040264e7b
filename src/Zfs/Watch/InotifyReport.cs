namespace DPlaneOS.Zfs.Watch;

/// <summary>
/// What <c>GET /api/monitoring/inotify</c> shows: the busiest user's inotify watches against
/// <c>max_user_watches</c> (and instances against <c>max_user_instances</c>), the level, and every user.
/// A failed read keeps the last numbers and records the error.
/// </summary>
public sealed record InotifyReport(
    DateTimeOffset? LastRefresh,
    string? Error,
    long? Used,
    long? Limit,
    double? Percent,
    UsageLevel Level,
    int? Uid,
    int? Instances,
    long? InstanceLimit,
    double? InstancePercent,
    UsageThresholds Thresholds,
    IReadOnlyList<InotifyUserUsage> Users)
{
    public static InotifyReport NotReadYet(UsageThresholds thresholds) =>
        new(null, "not read yet", null, null, null, UsageLevel.Ok, null, null, null, null, thresholds, []);

    public static InotifyReport From(InotifyUsage usage, UsageLevel level, UsageThresholds thresholds)
    {
        var busiest = usage.Busiest;
        return new(usage.At, null, busiest.Watches, usage.MaxUserWatches, usage.WatchPercent, level, busiest.Uid,
            busiest.Instances, usage.MaxUserInstances, usage.InstancePercent, thresholds, usage.Users);
    }

    /// <summary>The level is judged on whichever limit is nearer: watches or instances.</summary>
    public static double Pressure(InotifyUsage usage) => Math.Max(usage.WatchPercent, usage.InstancePercent);
}
