using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;
using DPlaneOS.Zfs.Host;
using Xunit.Abstractions;

namespace DPlaneOS.Integration.Tests.Monitoring;

/// <summary>
/// The real daemon probing real zfs-fuse pools, with real faults, and stopping real containers on the
/// lab's dockerd. Each daemon watches only its test's pool, so other pools on the machine are left alone.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class PoolHeartbeatOnZfsFuseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    private static Dictionary<string, string> Settings(LabPool pool) => new()
    {
        ["DPlaneOS:Status:RefreshInterval"] = "00:00:01",
        ["DPlaneOS:Heartbeat:Interval"] = Interval.ToString(),
        ["DPlaneOS:Heartbeat:Deadline"] = Deadline.ToString(),
        ["DPlaneOS:Heartbeat:Enabled"] = "true",
        ["DPlaneOS:Heartbeat:Pools:0"] = pool.Name,
        ["DPlaneOS:Docker:Endpoint"] = LabDocker.Endpoint,
        // busybox sleep as PID 1 ignores SIGTERM; do not wait the default 10 s for the kill.
        ["DPlaneOS:Docker:StopGracePeriod"] = "00:00:01",
    };

    private static ActorSystem ActorSystemOf(DaemonFixture daemon) => daemon.App.Services.GetRequiredService<ActorSystem>();

    private static async Task<PoolManager.Protocol.HeartbeatReport?> HeartbeatAsync(DaemonFixture daemon, string pool)
    {
        // The storage actors register from their supervisor's constructor, which may still be running.
        var pools = await daemon.App.Services.GetRequiredService<ActorRegistry>().GetAsync<PoolManager>(CancellationToken.None);
        var heartbeats = await pools.Ask<PoolManager.Protocol.Heartbeats>(PoolManager.Protocol.GetHeartbeats.Instance, TimeSpan.FromSeconds(5));
        return heartbeats.Pools.SingleOrDefault(h => h.Pool == pool);
    }

    private static async Task<PoolManager.Protocol.HeartbeatReport> WaitForHeartbeatAsync(
        DaemonFixture daemon, string pool, Func<PoolManager.Protocol.HeartbeatReport, bool> condition, TimeSpan within, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var report = await HeartbeatAsync(daemon, pool);
            if (report is not null && condition(report)) return report;
            if (stopwatch.Elapsed > within) Assert.Fail($"heartbeat of {pool} not {what} within {within}: {report}");
            await Task.Delay(100);
        }
    }

    private static Task<PoolManager.Protocol.HeartbeatReport> WaitForHealthyAsync(DaemonFixture daemon, LabPool pool) =>
        WaitForHeartbeatAsync(daemon, pool.Name, r => r.State.Health == PoolHealth.Healthy, TimeSpan.FromSeconds(30), "healthy");

    [Fact]
    public async Task A_disk_taken_offline_gives_pool_degraded_and_bringing_it_back_gives_pool_recovered()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await DaemonFixture.StartAsync(settings: Settings(pool));
        await using var events = await MonitorSubscription.StartAsync(ActorSystemOf(daemon));
        await WaitForHealthyAsync(daemon, pool);

        await pool.InjectAsync("degraded", pool.Disks[1]);
        var degraded = await events.WaitForAsync(PoolEvents.Degraded, pool.Name, TimeSpan.FromSeconds(10));
        Assert.Equal(Severity.Warning, degraded.Severity);
        Assert.Equal("DEGRADED", degraded.Data[PoolEvents.StateKey]);
        Assert.DoesNotContain(events.Seen, e => e.Type == PoolEvents.Failed);

        await pool.UndoAsync("degraded", pool.Disks[1]);
        var recovered = await events.WaitForAsync(PoolEvents.Recovered, pool.Name, TimeSpan.FromSeconds(15));
        Assert.Equal(Severity.Resolved, recovered.Severity);
        // State changes only: one degraded, one recovered, however many probes ran.
        Assert.Single(events.Seen, e => e.Subject == pool.Name && e.Type == PoolEvents.Degraded);
        Assert.Single(events.Seen, e => e.Subject == pool.Name && e.Type == PoolEvents.Recovered);
    }

    [Fact]
    public async Task Hung_writes_give_pool_failed_within_interval_plus_deadline_and_stop_only_the_container_on_that_pool()
    {
        await LabDocker.RequireAsync();
        await using var pool = await LabPool.CreateAsync(size: "128M", tmpfs: "40m");
        var elsewhere = Directory.CreateDirectory(Path.Combine(Lab.Root, $"{pool.Name}-elsewhere")).FullName;
        Directory.CreateDirectory(Path.Combine(pool.Mountpoint, "data"));
        string? onPool = null, offPool = null;
        var hangInjected = false;
        try
        {
            onPool = await LabDocker.RunSleeperAsync($"{pool.Name}-on", Path.Combine(pool.Mountpoint, "data"));
            offPool = await LabDocker.RunSleeperAsync($"{pool.Name}-off", elsewhere);
            await using var daemon = await DaemonFixture.StartAsync(settings: Settings(pool));
            await using var events = await MonitorSubscription.StartAsync(ActorSystemOf(daemon));
            await WaitForHealthyAsync(daemon, pool);

            hangInjected = true;
            var injecting = Stopwatch.StartNew();
            // Returns once zpool status shows WRITE errors; zfs-fuse may still take writes for a few
            // seconds after that, so an independent writer tells when the pool really stopped.
            await pool.InjectAsync("hang");
            output.WriteLine($"inject took {injecting.ElapsedMilliseconds} ms");
            using var witness = WriteWitness.Start(pool.Mountpoint);
            var failed = await events.WaitForAsync(PoolEvents.Failed, pool.Name, TimeSpan.FromSeconds(30));
            var failedAt = Stopwatch.GetTimestamp();
            var latency = Stopwatch.GetElapsedTime(await witness.FaultAsync(TimeSpan.FromSeconds(1)), failedAt);
            var report = (await HeartbeatAsync(daemon, pool.Name))!;
            var faultWall = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(failedAt) - latency;
            output.WriteLine($"writes stopped to pool.failed: {latency.TotalMilliseconds:0} ms ({failed.Data[PoolEvents.ReasonKey]}); " +
                $"last good probe at {(report.State.LastSuccessAt - faultWall)?.TotalMilliseconds:0} ms, probe out since {(report.ProbeOutSince - faultWall)?.TotalMilliseconds:0} ms");
            Assert.Equal(Severity.Critical, failed.Severity);
            // The next probe starts within one interval and fails (an I/O error) or hangs past the deadline.
            Assert.True(latency < Interval + Deadline + TimeSpan.FromMilliseconds(500), $"pool.failed {latency} after writes stopped");
            Assert.Contains(pool.Mountpoint, PoolEvents.Mountpoints(failed));

            var stopped = await events.WaitForAsync(DockerEvents.Stopped, pool.Name, TimeSpan.FromSeconds(30));
            output.WriteLine($"writes stopped to docker.stopped: {Stopwatch.GetElapsedTime(failedAt).TotalMilliseconds + latency.TotalMilliseconds:0} ms");
            Assert.Equal(onPool, stopped.Data[DockerEvents.IdsKey]);
            Assert.Equal($"{pool.Name}-on", stopped.Data[DockerEvents.NamesKey]);
            Assert.False(await LabDocker.IsRunningAsync(onPool));
            Assert.True(await LabDocker.IsRunningAsync(offPool));

            // Still failed on every later probe, and nothing sent twice.
            await Task.Delay(Interval * 3);
            Assert.Equal(PoolHealth.Failed, (await HeartbeatAsync(daemon, pool.Name))!.State.Health);
            Assert.Single(events.Seen, e => e.Subject == pool.Name && e.Type == PoolEvents.Failed);
            Assert.Single(events.Seen, e => e.Subject == pool.Name && e.Type == DockerEvents.Stopped);

            await pool.UndoAsync("hang");
            hangInjected = false;
            witness.Dispose();
            Assert.True(witness.WaitFinished(TimeSpan.FromSeconds(30)), "the witness write did not return after recovery");
            // Undo can restart zfs-fuse (a suspended pool), which re-imports and remounts the pool.
            await events.WaitForAsync(PoolEvents.Recovered, pool.Name, TimeSpan.FromSeconds(90));
            var restartable = await events.WaitForAsync(DockerEvents.Restartable, pool.Name, TimeSpan.FromSeconds(10));
            Assert.Equal(onPool, restartable.Data[DockerEvents.IdsKey]);
            Assert.False(await LabDocker.IsRunningAsync(onPool));
        }
        finally
        {
            if (hangInjected) await pool.UndoAsync("hang");
            if (onPool is not null) await LabDocker.RemoveAsync(onPool);
            if (offPool is not null) await LabDocker.RemoveAsync(offPool);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task An_unmounted_pool_is_not_probeable_rather_than_failed_and_is_probed_again_once_mounted()
    {
        await using var pool = await LabPool.CreateAsync();
        await using var daemon = await DaemonFixture.StartAsync(settings: Settings(pool));
        await using var events = await MonitorSubscription.StartAsync(ActorSystemOf(daemon));
        await WaitForHealthyAsync(daemon, pool);

        await Lab.HostAsync("zfs", "unmount", pool.Name);
        try
        {
            var notProbeable = await events.WaitForAsync(PoolEvents.NotProbeable, pool.Name, TimeSpan.FromSeconds(10));
            Assert.StartsWith("not mounted", notProbeable.Data[PoolEvents.ReasonKey]);
            Assert.False(File.Exists(FilePoolProber.ProbeFilePath(pool.Mountpoint)));
        }
        finally
        {
            await Lab.HostAsync("zfs", "mount", pool.Name);
        }
        await WaitForHealthyAsync(daemon, pool);
        Assert.DoesNotContain(events.Seen, e => e.Subject == pool.Name && e.Type == PoolEvents.Failed);
    }

    [Fact]
    public async Task An_exception_inside_a_heartbeat_is_followed_by_a_restart_and_probing_goes_on()
    {
        await using var pool = await LabPool.CreateAsync();
        CrashingZfs? zfs = null;
        await using var daemon = await DaemonFixture.StartAsync(settings: Settings(pool), services: services =>
            services.AddSingleton<IZfs>(sp => zfs = new CrashingZfs(new ZfsCommand(sp.GetRequiredService<ICommandRunner>(), sp.GetRequiredService<HostTools>()))));
        await using var events = await MonitorSubscription.StartAsync(ActorSystemOf(daemon));
        await WaitForHealthyAsync(daemon, pool);
        var heartbeatPath = $"/user/storage/pools/pools/{pool.Name}/{pool.Name}";
        var before = await ActorSystemOf(daemon).ActorSelection(heartbeatPath).ResolveOne(TimeSpan.FromSeconds(5));

        zfs!.ThrowNext(pool.Name, new InvalidOperationException("injected bug in the mount lookup"));
        var crashedAt = DateTimeOffset.UtcNow;
        await WaitForHeartbeatAsync(daemon, pool.Name, _ => !zfs.ThrowPending(pool.Name), TimeSpan.FromSeconds(10), "crashed");

        // Backoff 1 s (±20 %), then a new heartbeat that probes again, on the same state.
        var after = await WaitForHeartbeatAsync(daemon, pool.Name, r => r.State.LastSuccessAt > crashedAt.AddSeconds(1), TimeSpan.FromSeconds(15), "probing again");
        Assert.Equal(PoolHealth.Healthy, after.State.Health);
        var restarted = await ActorSystemOf(daemon).ActorSelection(heartbeatPath).ResolveOne(TimeSpan.FromSeconds(5));
        Assert.NotEqual(before, restarted);
        var content = await File.ReadAllTextAsync(FilePoolProber.ProbeFilePath(pool.Mountpoint));
        await Task.Delay(Interval * 2);
        Assert.NotEqual(content, await File.ReadAllTextAsync(FilePoolProber.ProbeFilePath(pool.Mountpoint)));
        // The restarted heartbeat resumes on the same state and states nothing. Only what it could
        // publish after the crash counts: the daemon's first statements at start (the heartbeat's
        // own, capacity.ok) may or may not reach a subscription made after the start.
        Assert.DoesNotContain(events.Seen, e => e.Subject == pool.Name && e.Time >= crashedAt && IsHeartbeatEvent(e.Type));
    }

    private static bool IsHeartbeatEvent(string type) =>
        type.StartsWith("pool.", StringComparison.Ordinal) || type.StartsWith("heartbeat.", StringComparison.Ordinal);

    [Fact]
    public async Task A_link_planted_at_the_probe_path_is_never_followed_and_is_one_tampered_warning_not_a_failure()
    {
        await LabDocker.RequireAsync();
        await using var pool = await LabPool.CreateAsync();
        var outside = Directory.CreateDirectory(Path.Combine(Lab.Root, $"{pool.Name}-outside")).FullName;
        var victim = Path.Combine(outside, "audit.key");
        var longAgo = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await File.WriteAllTextAsync(victim, "secret key material\n");
        File.SetLastWriteTimeUtc(victim, longAgo);
        Directory.SetLastWriteTimeUtc(outside, longAgo);
        async Task AssertOutsideUntouchedAsync()
        {
            Assert.Equal("secret key material\n", await File.ReadAllTextAsync(victim));
            Assert.Equal(longAgo, File.GetLastWriteTimeUtc(victim));
            Assert.Equal([victim], Directory.GetFileSystemEntries(outside));
            Assert.Equal(longAgo, Directory.GetLastWriteTimeUtc(outside));
        }

        Directory.CreateDirectory(Path.Combine(pool.Mountpoint, "data"));
        // The names of the old layout, planted before the daemon starts: never written through.
        var oldNames = new[] { ".dplaneos_heartbeat.tmp", ".dplaneos_heartbeat" }.Select(name => Path.Combine(pool.Mountpoint, name)).ToList();
        foreach (var oldName in oldNames) File.CreateSymbolicLink(oldName, victim);
        string? onPool = null;
        try
        {
            onPool = await LabDocker.RunSleeperAsync($"{pool.Name}-on", Path.Combine(pool.Mountpoint, "data"));
            await using var daemon = await DaemonFixture.StartAsync(settings: Settings(pool));
            await using var events = await MonitorSubscription.StartAsync(ActorSystemOf(daemon));
            await WaitForHealthyAsync(daemon, pool);
            var probeDirectory = Path.Combine(pool.Mountpoint, FilePoolProber.DirectoryName);
            Assert.True(File.Exists(FilePoolProber.ProbeFilePath(pool.Mountpoint)));

            // What anyone who can write the pool root can do: move the daemon's directory aside and put a link there.
            Directory.Move(probeDirectory, Path.Combine(pool.Mountpoint, "moved-aside"));
            Directory.CreateSymbolicLink(probeDirectory, outside);
            var plantedAt = DateTimeOffset.UtcNow;

            var tampered = await events.WaitForAsync(PoolEvents.Tampered, pool.Name, TimeSpan.FromSeconds(30));
            output.WriteLine($"heartbeat.tampered {(DateTimeOffset.UtcNow - plantedAt).TotalMilliseconds:0} ms after the link: {tampered.Data[PoolEvents.ReasonKey]}");
            Assert.Equal(Severity.Warning, tampered.Severity);
            Assert.Equal(probeDirectory, tampered.Data[PoolEvents.PathKey]);
            Assert.Equal($"{probeDirectory} is a symbolic link to {outside}", tampered.Data[PoolEvents.ReasonKey]);

            // Three more probes meet the link.
            var report = await WaitForHeartbeatAsync(daemon, pool.Name, r => r.State.LastProbeAt > plantedAt + Interval * 3,
                TimeSpan.FromSeconds(30), "probed three more times");
            Assert.Equal((PoolHealth.Unknown, probeDirectory), (report.State.Health, report.State.TamperedPath));
            await AssertOutsideUntouchedAsync();
            Assert.True(await LabDocker.IsRunningAsync(onPool));

            // The link removed: the next probe makes its own directory again, and that ends the episode.
            File.Delete(probeDirectory);
            var clean = await events.WaitForAsync(e => e.Type == PoolEvents.Clean && e.Subject == pool.Name
                && e.Data.GetValueOrDefault(PoolEvents.PathKey) == probeDirectory, TimeSpan.FromSeconds(30), "heartbeat.clean for the link");
            Assert.Equal(Severity.Resolved, clean.Severity);
            Assert.Equal(PoolHealth.Healthy, (await HeartbeatAsync(daemon, pool.Name))!.State.Health);

            // Everything up to the end of the episode: one warning, no failure, no container stopped.
            Assert.Single(events.Seen, e => e.Subject == pool.Name && e.Type == PoolEvents.Tampered);
            Assert.DoesNotContain(events.Seen, e => e.Subject == pool.Name && e.Type is PoolEvents.Failed or DockerEvents.Stopped);
            Assert.True(await LabDocker.IsRunningAsync(onPool));
            await AssertOutsideUntouchedAsync();
            Assert.All(oldNames, oldName => Assert.Equal(victim, new FileInfo(oldName).LinkTarget));
        }
        finally
        {
            if (onPool is not null) await LabDocker.RemoveAsync(onPool);
            Directory.Delete(outside, recursive: true);
        }
    }
}
