namespace DPlaneOS.Zfs.Watch;

/// <summary>One user's inotify use: watches (limited by <c>max_user_watches</c>) and instances (<c>max_user_instances</c>).</summary>
public sealed record InotifyUserUsage(int Uid, long Watches, int Instances);

/// <summary>One count of every process's inotify watches, per user, with the kernel's per-user limits.</summary>
public sealed record InotifyUsage(DateTimeOffset At, long MaxUserWatches, long MaxUserInstances, IReadOnlyList<InotifyUserUsage> Users)
{
    /// <summary>The user closest to a limit (watches first): the one that runs out first.</summary>
    public InotifyUserUsage Busiest => Users
        .OrderByDescending(u => Math.Max(Percent(u.Watches, MaxUserWatches), Percent(u.Instances, MaxUserInstances)))
        .ThenByDescending(u => u.Watches)
        .FirstOrDefault() ?? new InotifyUserUsage(0, 0, 0);

    public double WatchPercent => Percent(Busiest.Watches, MaxUserWatches);

    public double InstancePercent => Percent(Busiest.Instances, MaxUserInstances);

    private static double Percent(long used, long limit) => limit > 0 ? Math.Round(used * 100.0 / limit, 2) : 0;
}
