using System.Globalization;
using Akka.Actor;
using Akka.Event;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Zfs.Monitoring;

namespace DPlaneOS.Actors.Watch;

/// <summary>
/// <c>/user/watch</c>: watches the configured paths with inotify (FileSystemWatcher) and publishes
/// <c>file.changed</c>, one per path per coalescing window; and counts inotify watches against the
/// kernel's per-user limit on a timer, publishing <c>inotify.usage</c> when its level changes and at the
/// first reading since start (even ok, a resolution, so an alert from before the start ends).
/// A path that does not exist yet is retried at each usage tick.
/// </summary>
public sealed class FileWatchActor : ReceiveActor, IWithTimers
{
    private readonly WatchOptions _options;
    private readonly UsageThresholds _thresholds;
    private readonly ProcInotifyReader _reader;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missingReported = new(StringComparer.Ordinal);

    private PendingChanges _pending = PendingChanges.Empty;
    private InotifyReport _report;
    private UsageLevel _level = UsageLevel.Ok;

    // The first reading states its level even when ok, ending an inotify.usage alert from before the start.
    private bool _levelStated;
    private bool _usageInFlight;

    public FileWatchActor(WatchOptions options, TimeProvider time)
    {
        _options = options;
        _thresholds = options.Inotify.Thresholds;
        _reader = new ProcInotifyReader(options.Inotify.ProcRoot);
        _time = time;
        _report = InotifyReport.NotReadYet(_thresholds);

        Receive<Protocol.Changed>(OnChanged);
        Receive<Protocol.Flush>(_ => Flush());
        Receive<Protocol.WatchFailed>(OnWatchFailed);
        Receive<Protocol.CountUsage>(_ => StartUsageRead());
        Receive<Protocol.UsageRead>(OnUsageRead);
        Receive<Protocol.GetInotify>(_ => Sender.Tell(_report));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        EnsureWatchers();
        Timers.StartPeriodicTimer("usage", Protocol.CountUsage.Instance, TimeSpan.Zero, _options.Inotify.Interval);
    }

    protected override void PostStop()
    {
        foreach (var watcher in _watchers.Values) watcher.Dispose();
        _watchers.Clear();
    }

    private void EnsureWatchers()
    {
        var self = Self;
        foreach (var root in _options.Paths.Distinct(StringComparer.Ordinal))
        {
            if (_watchers.TryGetValue(root, out var existing))
            {
                if (Directory.Exists(root)) continue;
                // The directory went away (unmounted, deleted): watch it again once it is back.
                existing.Dispose();
                _watchers.Remove(root);
            }
            if (!Directory.Exists(root))
            {
                if (_missingReported.Add(root)) _log.Warning("Watch path {0} does not exist (yet); trying again every {1}", root, _options.Inotify.Interval);
                continue;
            }
            try
            {
                _watchers[root] = Watch(root, self);
                _missingReported.Remove(root);
                _log.Info("Watching {0}{1}", root, _options.Recursive ? " and its subdirectories" : "");
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                _log.Warning("Cannot watch {0}: {1}", root, ex.Message);
            }
        }
    }

    // FileSystemWatcher raises its events on thread-pool threads: they only Tell, never touch state.
    private FileSystemWatcher Watch(string root, IActorRef self)
    {
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = _options.Recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => self.Tell(new Protocol.Changed(root, e.FullPath, "created"));
        watcher.Changed += (_, e) => self.Tell(new Protocol.Changed(root, e.FullPath, "changed"));
        watcher.Deleted += (_, e) => self.Tell(new Protocol.Changed(root, e.FullPath, "deleted"));
        watcher.Renamed += (_, e) =>
        {
            self.Tell(new Protocol.Changed(root, e.OldFullPath, "renamed-from"));
            self.Tell(new Protocol.Changed(root, e.FullPath, "renamed-to"));
        };
        watcher.Error += (_, e) => self.Tell(new Protocol.WatchFailed(root, e.GetException().Message));
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void OnChanged(Protocol.Changed changed)
    {
        var wasEmpty = _pending.IsEmpty;
        _pending = _pending.Add(changed.Path, changed.Root, changed.Kind, _time.GetUtcNow());
        if (wasEmpty) ScheduleFlush();
    }

    private void Flush()
    {
        var (rest, due) = _pending.TakeDue(_time.GetUtcNow(), _options.Coalesce);
        _pending = rest;
        foreach (var change in due)
        {
            MonitorBus.Publish(Context.System, MonitorEvent.Create("file.changed", Severity.Info, change.Path, change.LastAt, new Dictionary<string, string>
            {
                ["path"] = change.Path,
                ["root"] = change.Root,
                ["kinds"] = string.Join(',', change.Kinds),
                ["count"] = change.Count.ToString(CultureInfo.InvariantCulture),
                ["firstAt"] = change.FirstAt.ToString("O", CultureInfo.InvariantCulture),
                ["lastAt"] = change.LastAt.ToString("O", CultureInfo.InvariantCulture),
            }));
        }
        if (!_pending.IsEmpty) ScheduleFlush();
    }

    private void ScheduleFlush()
    {
        var wait = _pending.NextDue(_options.Coalesce)!.Value - _time.GetUtcNow();
        Timers.StartSingleTimer("flush", Protocol.Flush.Instance, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    private void OnWatchFailed(Protocol.WatchFailed failed)
    {
        // Usually an overflow of the kernel's event queue: some changes under the root were lost.
        _log.Warning("Watching {0} failed: {1}", failed.Root, failed.Message);
        MonitorBus.Publish(Context.System, MonitorEvent.Create("file.watch-error", Severity.Warning, failed.Root, _time.GetUtcNow(),
            new Dictionary<string, string> { ["root"] = failed.Root, ["message"] = failed.Message }));
    }

    private void StartUsageRead()
    {
        EnsureWatchers();
        if (_usageInFlight) return;
        _usageInFlight = true;
        var at = _time.GetUtcNow();
        var reader = _reader;
        Task.Run(() => reader.Read(at))
            .PipeTo(Self, success: usage => new Protocol.UsageRead(usage, null), failure: ex => new Protocol.UsageRead(null, ex));
    }

    private void OnUsageRead(Protocol.UsageRead read)
    {
        _usageInFlight = false;
        if (read.Usage is null)
        {
            var reason = (read.Failure as AggregateException)?.InnerException?.Message ?? read.Failure?.Message;
            _log.Warning("Counting inotify watches failed, skipping this tick: {0}", reason);
            _report = _report with { Error = reason };
            return;
        }
        var before = _level;
        _level = _thresholds.Next(_level, InotifyReport.Pressure(read.Usage));
        _report = InotifyReport.From(read.Usage, _level, _thresholds);
        if (_level != before || !_levelStated) PublishLevel(_levelStated ? before : null);
        _levelStated = true;
    }

    /// <param name="before">The previous level; null for the first reading since start.</param>
    private void PublishLevel(UsageLevel? before)
    {
        var severity = _level switch
        {
            UsageLevel.Warning => Severity.Warning,
            UsageLevel.Critical => Severity.Critical,
            _ => Severity.Resolved,
        };
        MonitorBus.Publish(Context.System, MonitorEvent.Create("inotify.usage", severity, "inotify", _time.GetUtcNow(), new Dictionary<string, string>
        {
            ["level"] = _level.ToString().ToLowerInvariant(),
            ["previousLevel"] = before?.ToString().ToLowerInvariant() ?? "unknown",
            ["used"] = Text(_report.Used),
            ["limit"] = Text(_report.Limit),
            ["percent"] = Text(_report.Percent),
            ["uid"] = Text(_report.Uid),
            ["instances"] = Text(_report.Instances),
            ["instanceLimit"] = Text(_report.InstanceLimit),
        }));
    }

    private static string Text<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";

    public static class Protocol
    {
        /// <summary>Replies with the current <see cref="InotifyReport"/>.</summary>
        public sealed record GetInotify
        {
            public static readonly GetInotify Instance = new();
        }

        internal sealed record Changed(string Root, string Path, string Kind);

        internal sealed record WatchFailed(string Root, string Message);

        internal sealed record Flush : IDeadLetterSuppression
        {
            public static readonly Flush Instance = new();
        }

        internal sealed record CountUsage : IDeadLetterSuppression
        {
            public static readonly CountUsage Instance = new();
        }

        internal sealed record UsageRead(InotifyUsage? Usage, Exception? Failure);
    }
}
