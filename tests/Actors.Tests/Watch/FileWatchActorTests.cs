using Akka.Actor;
using Akka.TestKit;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Watch;
using DPlaneOS.Zfs.Watch;

namespace DPlaneOS.Actors.Tests.Watch;

/// <summary>The actor on real inotify (FileSystemWatcher) in a temp dir, and on a fake /proc tree for usage.</summary>
public sealed class FileWatchActorTests : MonitorBusTestKit, IDisposable
{
    private readonly string _watched = Directory.CreateTempSubdirectory("dplaned-watch-").FullName;
    private readonly string _proc = Directory.CreateTempSubdirectory("dplaned-proc-").FullName;
    private readonly TestProbe _bus;

    public FileWatchActorTests()
    {
        _bus = SubscribeToMonitorBus();
        SetLimits(1000);
        SetWatches(0);
    }

    public new void Dispose()
    {
        Directory.Delete(_watched, recursive: true);
        Directory.Delete(_proc, recursive: true);
    }

    private void SetLimits(long watches)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_proc, "sys", "fs", "inotify")).FullName;
        File.WriteAllText(Path.Combine(dir, "max_user_watches"), $"{watches}\n");
        File.WriteAllText(Path.Combine(dir, "max_user_instances"), "128\n");
    }

    /// <summary>One root process holding one inotify fd with <paramref name="watches"/> watches.</summary>
    private void SetWatches(int watches)
    {
        var process = Path.Combine(_proc, "4242");
        Directory.CreateDirectory(Path.Combine(process, "fdinfo"));
        if (!Directory.Exists(Path.Combine(process, "fd")))
        {
            Directory.CreateDirectory(Path.Combine(process, "fd"));
            File.CreateSymbolicLink(Path.Combine(process, "fd", "3"), InotifyFdInfo.LinkTarget);
            File.WriteAllText(Path.Combine(process, "status"), "Name:\tsyncthing\nUid:\t0\t0\t0\t0\n");
        }
        var lines = Enumerable.Range(1, watches).Select(wd => $"inotify wd:{wd} ino:{wd:x} sdev:fe00000 mask:fc6 ignored_mask:0\n");
        File.WriteAllText(Path.Combine(process, "fdinfo", "3.tmp"), "pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\n" + string.Concat(lines));
        File.Move(Path.Combine(process, "fdinfo", "3.tmp"), Path.Combine(process, "fdinfo", "3"), overwrite: true);
    }

    private IActorRef Watch(params string[] paths) => Sys.ActorOf(Props.Create(() => new FileWatchActor(new WatchOptions
    {
        Paths = paths.ToList(),
        Coalesce = TimeSpan.FromMilliseconds(300),
        Inotify = { Interval = TimeSpan.FromMilliseconds(100), ProcRoot = _proc },
    }, NodeIdentity.Named("nas1"), TimeProvider.System)));

    private InotifyReport Report(IActorRef watch, Func<InotifyReport, bool> done)
    {
        InotifyReport report = null!;
        AwaitAssert(() =>
        {
            watch.Tell(FileWatchActor.Protocol.GetInotify.Instance);
            report = ExpectMsg<InotifyReport>();
            Assert.True(done(report), report.ToString());
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        return report;
    }

    [Fact]
    public void A_burst_of_writes_to_one_file_is_one_file_changed_event()
    {
        var watch = Watch(_watched);
        Report(watch, r => r.LastRefresh is not null);
        var file = Path.Combine(_watched, "report.txt");
        using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            for (var i = 0; i < 20; i++)
            {
                stream.Write("line\n"u8);
                stream.Flush(flushToDisk: true);
            }
        }
        var changed = ExpectEvent(_bus, "file.changed");
        Assert.Equal((Severity.Info, file), (changed.Severity, changed.Subject));
        Assert.Equal((file, _watched), (changed.Data["path"], changed.Data["root"]));
        Assert.Contains("created", changed.Data["kinds"]);
        Assert.True(int.Parse(changed.Data["count"]) >= 2, $"a burst is merged: {changed.Data["count"]}");
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public void A_path_that_appears_later_is_watched_from_then_on()
    {
        var later = Path.Combine(_watched, "later");
        var watch = Watch(later);
        Report(watch, r => r.LastRefresh is not null);
        Directory.CreateDirectory(later);
        var file = Path.Combine(later, "x.bin");
        AwaitAssert(() =>
        {
            File.WriteAllText(file, Guid.NewGuid().ToString());
            Assert.Equal(file, ExpectEvent(_bus, "file.changed", TimeSpan.FromMilliseconds(700)).Subject);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Watch_usage_rises_to_warning_and_critical_and_resolves_with_hysteresis()
    {
        var watch = Watch();
        var ok = Report(watch, r => r.LastRefresh is not null);
        Assert.Equal((0L, 1000L, 0.0, UsageLevel.Ok), (ok.Used!.Value, ok.Limit!.Value, ok.Percent!.Value, ok.Level));
        // The first reading states its level, ok included (a resolution, so an alert from before the start ends).
        var first = ExpectEvent(_bus, "inotify.usage");
        Assert.Equal((Severity.Resolved, "unknown", "ok"), (first.Severity, first.Data["previousLevel"], first.Data["level"]));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        SetWatches(800);
        var warning = ExpectEvent(_bus, "inotify.usage");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(("800", "1000", "80", "0", "warning"), (warning.Data["used"], warning.Data["limit"], warning.Data["percent"], warning.Data["uid"], warning.Data["level"]));

        SetWatches(785);
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        Assert.Equal(UsageLevel.Warning, Report(watch, r => r.Used == 785).Level);

        SetWatches(950);
        Assert.Equal(Severity.Critical, ExpectEvent(_bus, "inotify.usage").Severity);
        SetWatches(100);
        var resolved = ExpectEvent(_bus, "inotify.usage");
        Assert.Equal((Severity.Resolved, "critical", "ok"), (resolved.Severity, resolved.Data["previousLevel"], resolved.Data["level"]));
    }

    [Fact]
    public void The_first_reading_above_a_threshold_is_stated_as_that_level()
    {
        SetWatches(960);
        var watch = Watch();
        var first = ExpectEvent(_bus, "inotify.usage");
        Assert.Equal((Severity.Critical, "unknown", "critical"), (first.Severity, first.Data["previousLevel"], first.Data["level"]));
        Assert.Equal(UsageLevel.Critical, Report(watch, r => r.Used == 960).Level);
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void A_failed_count_is_skipped_and_reported_keeping_the_last_numbers()
    {
        var watch = Watch();
        SetWatches(10);
        Report(watch, r => r.Used == 10);
        Assert.Equal("ok", ExpectEvent(_bus, "inotify.usage").Data["level"]);
        File.WriteAllText(Path.Combine(_proc, "sys", "fs", "inotify", "max_user_watches"), "broken\n");
        var failed = Report(watch, r => r.Error is not null);
        Assert.Contains("max_user_watches", failed.Error);
        Assert.Equal((10L, 1000L), (failed.Used!.Value, failed.Limit!.Value));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        SetLimits(1000);
        Assert.Null(Report(watch, r => r.Error is null).Error);
    }

    [Fact]
    public void A_hung_mount_does_not_stall_the_actor_and_is_watched_once_it_answers()
    {
        using var fileSystem = new HangingFileSystem("/mnt/hung");
        var options = new WatchOptions
        {
            Paths = ["/mnt/hung"],
            Coalesce = TimeSpan.FromMilliseconds(100),
            Inotify = { Interval = TimeSpan.FromMilliseconds(100), ProcRoot = _proc },
        };
        var watch = Sys.ActorOf(Props.Create(() => new FileWatchActor(options, NodeIdentity.Named("nas1"), TimeProvider.System, fileSystem)));
        Assert.True(fileSystem.Entered.Wait(TimeSpan.FromSeconds(5)), "the check of the hung root started");

        // The check hangs; the actor still counts usage every tick and answers, and starts no second check of that root.
        Report(watch, r => r.LastRefresh is not null);
        var refreshed = Report(watch, r => r.LastRefresh is not null).LastRefresh;
        Report(watch, r => r.LastRefresh > refreshed);
        Assert.Equal(1, fileSystem.Calls);

        fileSystem.Release();
        AwaitCondition(() => fileSystem.Watching is not null, TimeSpan.FromSeconds(5));
        fileSystem.Watching!("/mnt/hung/x.bin", "created");
        var changed = ExpectEvent(_bus, "file.changed");
        Assert.Equal(("/mnt/hung/x.bin", "/mnt/hung", "nas1"), (changed.Subject, changed.Data["root"], changed.Node));
    }

    /// <summary>A file system whose <paramref name="root"/> hangs in DirectoryExists until released, then exists.</summary>
    private sealed class HangingFileSystem(string root) : IWatchedFileSystem, IDisposable
    {
        private readonly ManualResetEventSlim _released = new();
        private int _calls;

        public ManualResetEventSlim Entered { get; } = new();

        public int Calls => Volatile.Read(ref _calls);

        public Action<string, string>? Watching { get; private set; }

        public void Release() => _released.Set();

        public bool DirectoryExists(string path)
        {
            if (path != root) return false;
            Interlocked.Increment(ref _calls);
            Entered.Set();
            _released.Wait();
            return true;
        }

        public IDisposable Watch(string path, bool recursive, Action<string, string> changed, Action<string> failed)
        {
            Watching = changed;
            return this;
        }

        public void Dispose() => _released.Set();
    }
}
