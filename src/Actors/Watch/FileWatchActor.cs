using System.Globalization;
using DPlaneOS.Zfs.Watch;

namespace DPlaneOS.Actors.Watch;

/// <summary>
/// <c>/user/watch</c>: watches the configured paths with inotify (FileSystemWatcher) and publishes
/// <c>file.changed</c>, one per path per coalescing window; and counts inotify watches against the
/// kernel's per-user limit on a timer, publishing <c>inotify.usage</c> when its level changes and at the
/// first reading since start (even ok, a resolution, so an alert from before the start ends).
/// A path that does not exist yet is retried at each usage tick. Every file system call runs on a
/// task piped back (<see cref="IWatchedFileSystem"/>), one per root, so a hung mount delays only its
/// own root and the actor keeps answering.
/// </summary>
public sealed class FileWatchActor : ReceiveActor, IWithTimers
{
    private readonly WatchOptions _options;
    private readonly NodeIdentity _node;
    private readonly UsageThresholds _thresholds;
    private readonly ProcInotifyReader _reader;
    private readonly TimeProvider _time;
    private readonly IWatchedFileSystem _fileSystem;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IDisposable> _watchers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _checking = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missingReported = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    private PendingChanges _pending = PendingChanges.Empty;
    private InotifyReport _report;
    private UsageLevel _level = UsageLevel.Ok;

    // The first reading states its level even when ok, ending an inotify.usage alert from before the start.
    private bool _levelStated;
    private bool _usageInFlight;

    public FileWatchActor(WatchOptions options, NodeIdentity node, TimeProvider time)
        : this(options, node, time, HostWatchedFileSystem.Instance)
    {
    }

    /// <param name="fileSystem">Tests pass one whose calls hang or fail.</param>
    public FileWatchActor(WatchOptions options, NodeIdentity node, TimeProvider time, IWatchedFileSystem fileSystem)
    {
        _options = options;
        _node = node;
        _thresholds = options.Inotify.Thresholds;
        _reader = new ProcInotifyReader(options.Inotify.ProcRoot);
        _time = time;
        _fileSystem = fileSystem;
        _report = InotifyReport.NotReadYet(_thresholds);

        Receive<Protocol.Changed>(OnChanged);
        Receive<Protocol.Flush>(_ => Flush());
        Receive<Protocol.WatchFailed>(OnWatchFailed);
        Receive<Protocol.RootChecked>(OnRootChecked);
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
        // A check still in flight disposes the watcher it makes; the watchers held are disposed off this thread.
        _stopping.Cancel();
        var watchers = _watchers.Values.ToList();
        _watchers.Clear();
        if (watchers.Count > 0) _ = Task.Run(() => watchers.ForEach(w => w.Dispose()));
    }

    /// <summary>Starts a check of every root that has none in flight: a hung root is not checked twice.</summary>
    private void EnsureWatchers()
    {
        foreach (var root in _options.Paths.Distinct(StringComparer.Ordinal))
        {
            if (!_checking.Add(root)) continue;
            var existing = _watchers.GetValueOrDefault(root);
            var self = Self;
            var (fileSystem, recursive, stopping) = (_fileSystem, _options.Recursive, _stopping.Token);
            Task.Run(() => CheckRoot(fileSystem, root, existing, recursive, self, stopping), CancellationToken.None)
                .PipeTo(self, failure: ex => new Protocol.RootChecked(root, Protocol.RootOutcome.Failed, false, null,
                    (ex as AggregateException)?.InnerException?.Message ?? ex.Message));
        }
    }

    // Runs on a thread-pool task. The watcher's events arrive on other threads: they only Tell, never touch state.
    private static Protocol.RootChecked CheckRoot(
        IWatchedFileSystem fileSystem, string root, IDisposable? existing, bool recursive, IActorRef self, CancellationToken stopping)
    {
        var gone = false;
        try
        {
            if (existing is not null)
            {
                if (fileSystem.DirectoryExists(root)) return new Protocol.RootChecked(root, Protocol.RootOutcome.Watching, false, null, null);
                // The directory went away (unmounted, deleted): watch it again once it is back.
                existing.Dispose();
                gone = true;
            }
            if (!fileSystem.DirectoryExists(root)) return new Protocol.RootChecked(root, Protocol.RootOutcome.Missing, gone, null, null);
            var watcher = fileSystem.Watch(root, recursive,
                (path, kind) => self.Tell(new Protocol.Changed(root, path, kind)),
                message => self.Tell(new Protocol.WatchFailed(root, message)));
            if (!stopping.IsCancellationRequested) return new Protocol.RootChecked(root, Protocol.RootOutcome.Started, gone, watcher, null);
            watcher.Dispose();
            return new Protocol.RootChecked(root, Protocol.RootOutcome.Failed, gone, null, "the actor stopped");
        }
        catch (Exception ex)
        {
            // IOException, UnauthorizedAccessException (the inotify limit, permissions) and whatever else: retried next tick.
            return new Protocol.RootChecked(root, Protocol.RootOutcome.Failed, gone, null, ex.Message);
        }
    }

    private void OnRootChecked(Protocol.RootChecked checkedRoot)
    {
        var root = checkedRoot.Root;
        _checking.Remove(root);
        if (checkedRoot.Gone) _watchers.Remove(root);
        switch (checkedRoot.Outcome)
        {
            case Protocol.RootOutcome.Started:
                _watchers[root] = checkedRoot.Watcher!;
                _missingReported.Remove(root);
                _log.Info("Watching {0}{1}", root, _options.Recursive ? " and its subdirectories" : "");
                break;
            case Protocol.RootOutcome.Missing:
                if (_missingReported.Add(root)) _log.Warning("Watch path {0} does not exist (yet); trying again every {1}", root, _options.Inotify.Interval);
                break;
            case Protocol.RootOutcome.Failed:
                _log.Warning("Cannot watch {0}: {1}", root, checkedRoot.Message);
                break;
        }
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
            MonitorBus.Publish(Context.System, MonitorEvent.Create(_node, WatchEvents.FileChanged, Severity.Info, change.Path, change.LastAt, new Dictionary<string, string>
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
        MonitorBus.Publish(Context.System, MonitorEvent.Create(_node, WatchEvents.WatchError, Severity.Warning, failed.Root, _time.GetUtcNow(),
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
        MonitorBus.Publish(Context.System, MonitorEvent.Create(_node, WatchEvents.InotifyUsage, severity, "inotify", _time.GetUtcNow(), new Dictionary<string, string>
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

        internal enum RootOutcome
        {
            /// <summary>Watched before and still there: nothing changes.</summary>
            Watching,

            /// <summary>A new watcher (<see cref="RootChecked.Watcher"/>) now watches the root.</summary>
            Started,

            /// <summary>The root does not exist (yet).</summary>
            Missing,

            /// <summary>The root exists but cannot be watched, or the check failed (<see cref="RootChecked.Message"/>).</summary>
            Failed,
        }

        /// <summary>A check of one root, piped back. <paramref name="Gone"/>: its former watcher was disposed.</summary>
        internal sealed record RootChecked(string Root, RootOutcome Outcome, bool Gone, IDisposable? Watcher, string? Message);
    }
}
