using DPlaneOS.Zfs.Watch;

namespace DPlaneOS.Zfs.Tests.Watch;

/// <summary>The reader over a fake /proc tree made of the captured files and real symlinks.</summary>
public sealed class ProcInotifyReaderTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("dplaned-proc-").FullName;
    private static readonly DateTimeOffset At = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    private void Limits(string watches = "8192\n", string instances = "128\n")
    {
        var dir = Directory.CreateDirectory(Path.Combine(_proc, "sys", "fs", "inotify")).FullName;
        File.WriteAllText(Path.Combine(dir, "max_user_watches"), watches);
        File.WriteAllText(Path.Combine(dir, "max_user_instances"), instances);
    }

    /// <summary>A process with fds: each is (link target, fdinfo fixture).</summary>
    private void Process(int pid, string status, params (string Target, string FdInfo)[] fds)
    {
        var dir = Path.Combine(_proc, pid.ToString());
        Directory.CreateDirectory(Path.Combine(dir, "fd"));
        Directory.CreateDirectory(Path.Combine(dir, "fdinfo"));
        File.WriteAllText(Path.Combine(dir, "status"), Fixture.Read($"proc/{status}"));
        for (var fd = 0; fd < fds.Length; fd++)
        {
            File.CreateSymbolicLink(Path.Combine(dir, "fd", fd.ToString()), fds[fd].Target);
            File.WriteAllText(Path.Combine(dir, "fdinfo", fd.ToString()), Fixture.Read($"proc/{fds[fd].FdInfo}"));
        }
    }

    [Fact]
    public void Watches_and_instances_are_summed_per_user_and_other_fds_are_ignored()
    {
        Limits();
        Process(100, "status-root.txt",
            ("anon_inode:inotify", "fdinfo-inotify-3-watches.txt"),
            ("anon_inode:inotify", "fdinfo-inotify-no-watches.txt"),
            ("anon_inode:[eventpoll]", "fdinfo-epoll.txt"),
            ("anon_inode:[fanotify]", "fdinfo-fanotify.txt"),
            ("/etc/hostname", "fdinfo-regular-file.txt"));
        Process(200, "status-root.txt", ("anon_inode:inotify", "fdinfo-inotify-2-watches-no-fhandle.txt"));
        Process(300, "status-real-1000-effective-33.txt", ("anon_inode:inotify", "fdinfo-inotify-3-watches.txt"));
        Process(400, "status-real-1000-effective-33.txt", ("/dev/null", "fdinfo-regular-file.txt"));
        Directory.CreateDirectory(Path.Combine(_proc, "self"));

        var usage = new ProcInotifyReader(_proc).Read(At);
        Assert.Equal((8192L, 128L, At), (usage.MaxUserWatches, usage.MaxUserInstances, usage.At));
        Assert.Equal([new InotifyUserUsage(0, 5, 3), new InotifyUserUsage(33, 3, 1)], usage.Users);
        Assert.Equal(new InotifyUserUsage(0, 5, 3), usage.Busiest);
        Assert.Equal(Math.Round(5 * 100.0 / 8192, 2), usage.WatchPercent);
    }

    [Fact]
    public void The_user_nearest_a_limit_is_the_busiest()
    {
        var usage = new InotifyUsage(At, 100, 10, [new InotifyUserUsage(0, 50, 1), new InotifyUserUsage(33, 10, 9)]);
        Assert.Equal(33, usage.Busiest.Uid);
        Assert.Equal((10.0, 90.0), (usage.WatchPercent, usage.InstancePercent));
        Assert.Equal(90.0, InotifyReport.Pressure(usage));
    }

    [Fact]
    public void No_inotify_anywhere_is_zero_used()
    {
        Limits();
        Process(100, "status-root.txt", ("/etc/hostname", "fdinfo-regular-file.txt"));
        var usage = new ProcInotifyReader(_proc).Read(At);
        Assert.Empty(usage.Users);
        Assert.Equal((0L, 0.0), (usage.Busiest.Watches, usage.WatchPercent));
    }

    [Fact]
    public void Unreadable_limits_fail_the_read_with_the_path()
    {
        Process(100, "status-root.txt");
        var missing = Assert.ThrowsAny<IOException>(() => new ProcInotifyReader(_proc).Read(At));
        Assert.Contains("max_user_watches", missing.Message);
        Limits(watches: "garbage\n");
        var garbage = Assert.Throws<IOException>(() => new ProcInotifyReader(_proc).Read(At));
        Assert.Contains("does not hold a positive number", garbage.Message);
    }

    [Fact]
    public void The_real_proc_is_readable_and_sees_a_watch_this_test_holds()
    {
        var dir = Directory.CreateTempSubdirectory("dplaned-watched-").FullName;
        try
        {
            using var watcher = new FileSystemWatcher(dir) { EnableRaisingEvents = true };
            var usage = new ProcInotifyReader().Read(At);
            Assert.Equal(long.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_user_watches").Trim()), usage.MaxUserWatches);
            Assert.Equal(long.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_user_instances").Trim()), usage.MaxUserInstances);
            // Other processes come and go; this one holds at least one watch and one instance.
            var uid = InotifyFdInfo.EffectiveUid(File.ReadAllText("/proc/self/status"));
            var mine = Assert.Single(usage.Users, u => u.Uid == uid);
            Assert.True(mine.Watches >= 1 && mine.Instances >= 1, mine.ToString());
        }
        finally
        {
            Directory.Delete(dir);
        }
    }
}
