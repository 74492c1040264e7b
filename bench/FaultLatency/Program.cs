using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Actors.Storage;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Daemon;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Bench.FaultLatency;

/// <summary>
/// Measures, on real zfs-fuse and the lab dockerd, how long after a pool's writes hang the daemon
/// publishes <c>pool.failed</c> and how long until the container using the pool is stopped.
/// Run as root with the lab up: <c>dotnet run -c Release --project bench/FaultLatency [-- --runs 5 --interval 2 --deadline 1]</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var runs = Option(args, "--runs", 5);
        var interval = TimeSpan.FromSeconds(Option(args, "--interval", 2.0));
        var deadline = TimeSpan.FromSeconds(Option(args, "--deadline", 1.0));
        Console.WriteLine($"FaultLatency: {runs} runs, heartbeat interval {interval.TotalSeconds} s, deadline {deadline.TotalSeconds} s, " +
                          "zfs-fuse pool on a 40 MiB tmpfs, fault = scripts/lab/fault.sh inject hang");
        await Lab.RequireZfsAsync();
        await LabDocker.RequireAsync();

        var results = new List<Run>();
        for (var i = 1; i <= runs; i++)
        {
            var run = await MeasureAsync(interval, deadline);
            results.Add(run);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {i}: writes stopped → pool.failed {run.ToFailed.TotalMilliseconds:0} ms, → docker.stopped {run.ToStoppedEvent.TotalMilliseconds:0} ms, " +
                $"→ container not running {run.ToContainerStopped.TotalMilliseconds:0} ms; inject returned → pool.failed {run.InjectToFailed.TotalMilliseconds:0} ms ({run.Reason})"));
        }

        Console.WriteLine();
        Console.WriteLine("latency (ms)                              min   median      max");
        Summary("writes stopped → pool.failed", results.Select(r => r.ToFailed));
        Summary("writes stopped → docker.stopped event", results.Select(r => r.ToStoppedEvent));
        Summary("writes stopped → container not running", results.Select(r => r.ToContainerStopped));
        Summary("inject returned → pool.failed", results.Select(r => r.InjectToFailed));
        return 0;
    }

    private sealed record Run(TimeSpan ToFailed, TimeSpan ToStoppedEvent, TimeSpan ToContainerStopped, TimeSpan InjectToFailed, string Reason);

    private static async Task<Run> MeasureAsync(TimeSpan interval, TimeSpan deadline)
    {
        await using var pool = await LabPool.CreateAsync(size: "128M", tmpfs: "40m");
        Directory.CreateDirectory(Path.Combine(pool.Mountpoint, "data"));
        // sh as PID 1 with a TERM trap ends at once on docker stop, so the figure is the daemon's, not a kill timeout.
        var container = await LabDocker.RunAsync($"{pool.Name}-bench", Path.Combine(pool.Mountpoint, "data"),
            "/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done");
        var hung = false;
        try
        {
            await using var daemon = await DaemonFixture.StartAsync(settings: new Dictionary<string, string>
            {
                ["DPlaneOS:Status:RefreshInterval"] = "00:00:01",
                ["DPlaneOS:Heartbeat:Interval"] = interval.ToString(),
                ["DPlaneOS:Heartbeat:Deadline"] = deadline.ToString(),
                ["DPlaneOS:Heartbeat:Enabled"] = "true",
                ["DPlaneOS:Heartbeat:Pools:0"] = pool.Name,
                ["DPlaneOS:Docker:Endpoint"] = LabDocker.Endpoint,
                ["Logging:LogLevel:Default"] = "Warning",
                ["DPlaneOS:Logging:MinimumLevel"] = "Warning",
            });
            var system = daemon.App.Services.GetRequiredService<ActorSystem>();
            await using var events = await MonitorSubscription.StartAsync(system);
            await WaitHealthyAsync(daemon, pool.Name);

            hung = true;
            await pool.InjectAsync("hang");
            var injected = Stopwatch.GetTimestamp();
            using var witness = WriteWitness.Start(pool.Mountpoint);
            var failed = await events.WaitForAsync(PoolEvents.Failed, pool.Name, TimeSpan.FromSeconds(60));
            var failedAt = Stopwatch.GetTimestamp();
            var faultAt = await witness.FaultAsync(TimeSpan.FromSeconds(5));
            var report = (await ReportAsync(daemon, pool.Name))!;
            var faultWall = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(faultAt);
            await events.WaitForAsync(DockerEvents.Stopped, pool.Name, TimeSpan.FromSeconds(60));
            var stoppedEventAt = Stopwatch.GetTimestamp();
            while (await LabDocker.IsRunningAsync(container)) await Task.Delay(20);
            var containerStoppedAt = Stopwatch.GetTimestamp();

            await pool.UndoAsync("hang");
            hung = false;
            witness.Dispose();
            return new Run(
                Stopwatch.GetElapsedTime(faultAt, failedAt),
                Stopwatch.GetElapsedTime(faultAt, stoppedEventAt),
                Stopwatch.GetElapsedTime(faultAt, containerStoppedAt),
                Stopwatch.GetElapsedTime(injected, failedAt),
                $"{failed.Data.GetValueOrDefault(PoolEvents.ReasonKey, "?")}; last good probe {(report.State.LastSuccessAt - faultWall)?.TotalMilliseconds:0} ms " +
                $"after the fault, failed probe started {(report.ProbeOutSince - faultWall)?.TotalMilliseconds:0} ms after it");
        }
        finally
        {
            if (hung) await pool.UndoAsync("hang");
            await LabDocker.RemoveAsync(container);
        }
    }

    private static async Task<PoolManager.Protocol.HeartbeatReport?> ReportAsync(DaemonFixture daemon, string pool)
    {
        var storage = daemon.App.Services.GetRequiredService<ActorRegistry>().Get<StorageSupervisor>();
        var heartbeats = await storage.Ask<PoolManager.Protocol.Heartbeats>(PoolManager.Protocol.GetHeartbeats.Instance, TimeSpan.FromSeconds(5));
        return heartbeats.Pools.SingleOrDefault(h => h.Pool == pool);
    }

    private static async Task WaitHealthyAsync(DaemonFixture daemon, string pool)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if ((await ReportAsync(daemon, pool))?.State.Health == PoolHealth.Healthy) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"pool {pool} was not probed healthy within 60 s");
    }

    private static void Summary(string what, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalMilliseconds).Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-40} {sorted[0],6:0} {median,8:0} {sorted[^1],8:0}"));
    }

    private static T Option<T>(string[] args, string name, T fallback) where T : IParsable<T>
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? T.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
