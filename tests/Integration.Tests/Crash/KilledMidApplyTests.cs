using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;
using DPlaneOS.Integration.Tests.GitOps;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;
using static DPlaneOS.Integration.Tests.GitOps.GitOpsApi;

namespace DPlaneOS.Integration.Tests.Crash;

/// <summary>
/// SIGKILL of the real dplaned process in the middle of a GitOps apply on a real zfs-fuse pool:
/// no shutdown hook runs, the journal is whatever reached SQLite. The restarted daemon shows the
/// apply interrupted, a new plan holds exactly what is left, and the pool's own history proves
/// that no step ran twice.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class KilledMidApplyTests(ITestOutputHelper output)
{
    // Enough datasets that the apply is still running well after its first step (the pool) is seen
    // done: each zfs create on zfs-fuse takes a few hundred milliseconds.
    private const int Datasets = 24;

    [Fact]
    public async Task A_sigkill_mid_apply_shows_the_interrupted_apply_and_the_replanned_rest_runs_no_step_twice()
    {
        await using var disks = await LabDisks.CreateAsync();
        var p = disks.Pool;
        var names = Enumerable.Range(1, Datasets).Select(i => $"{p}/d{i:00}").ToList();
        string[] state =
        [
            "version: 1",
            "pools:", $"  - name: {p}", "    vdev_type: mirror", "    disks:", .. disks.Paths.Select(d => $"      - {d}"), "    prune: false",
            "datasets:", $"  - name: {p}", $"    mountpoint: {disks.Mountpoint}", .. names.Select(n => $"  - name: {n}"),
        ];
        var dataDir = Directory.CreateTempSubdirectory("dplaned-crash-apply-").FullName;
        await using var first = await DaemonProcess.StartAsync(dataDir, new Dictionary<string, string?>
        {
            // This test declares no shares: keep the daemon's share file out of the lab smbd's way.
            ["DPlaneOS:GitOps:SambaInclude"] = Path.Combine(dataDir, "shares.conf"),
            // The new pool mounts in the lab's mount dir, not at /<pool>.
            ["DPlaneOS:GitOps:AllowedPathPrefixes:0"] = Path.Combine(Lab.Root, "mnt"),
        });

        var api = new GitOpsApi(first.Client());
        await api.PutStateAsync(string.Join('\n', state) + "\n");
        var plan = await api.PlanAsync();
        Assert.Equal([$"create pool:{p}", $"create dataset:{p}", .. names.Select(n => $"create dataset:{n}")], Work(plan));
        var accepted = await ExpectAsync(await api.ApplyRawAsync(plan.GetProperty("planId").GetString()!), HttpStatusCode.Accepted);
        var applyId = accepted.GetProperty("applyId").GetString()!;

        // The pool, its root dataset and the first child are journalled done: the kill lands among the creates.
        var seen = await WaitForStepsAsync(api, applyId, done => done >= 3, TimeSpan.FromMinutes(2));
        await first.KillAsync();
        Assert.Equal(137, first.ExitCode);
        // The killed daemon's zfs child (if one was running) is orphaned, not killed: let it end, as
        // systemd's cgroup kill would have ended it, before the next daemon reads live state.
        await WaitForNoHostCommandAsync(p, TimeSpan.FromMinutes(1));

        await using var second = await first.StartAgainAsync();
        api = new GitOpsApi(second.Client());
        var interrupted = (await api.StatusAsync()).GetProperty("apply");
        Assert.Equal(applyId, interrupted.GetProperty("applyId").GetString());
        Assert.Equal("interrupted", interrupted.GetProperty("status").GetString());
        Assert.Contains("the daemon stopped", interrupted.GetProperty("error").GetString());
        var steps = interrupted.GetProperty("steps").EnumerateArray()
            .Select(s => (Item: s.GetProperty("itemId").GetString()!, Status: s.GetProperty("status").GetString()!)).ToList();
        var statuses = steps.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"seen done before the kill: {seen}; after the restart: {string.Join(", ", statuses.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Assert.True(statuses.GetValueOrDefault("done") >= seen, $"{seen} steps were seen done before the kill, the journal shows: {Describe(steps)}");
        Assert.True(statuses.GetValueOrDefault("notRun") >= 1, $"the kill came too late to interrupt anything: {Describe(steps)}");
        Assert.True(statuses.GetValueOrDefault("inDoubt") <= 1, Describe(steps));
        Assert.Equal(steps.Count, statuses.GetValueOrDefault("done") + statuses.GetValueOrDefault("inDoubt") + statuses.GetValueOrDefault("notRun"));
        Assert.All(steps.Take(3), s => Assert.Equal("done", s.Status));

        // Live state decides what is left: exactly the datasets that do not exist yet, nothing done again.
        var existing = await DatasetsAsync(p);
        var missing = names.Where(n => !existing.Contains(n)).ToList();
        Assert.NotEmpty(missing);
        var rest = await api.PlanAsync();
        Assert.Equal(missing.Select(n => $"create dataset:{n}"), Work(rest));
        Assert.DoesNotContain(Work(rest), w => steps.Any(s => s.Status == "done" && w.EndsWith(" " + s.Item, StringComparison.Ordinal)));
        var finished = await api.ApplyAndWaitAsync(rest);
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", $"the second apply did not succeed: {finished}");
        Assert.Empty(Work(await api.PlanAsync()));

        // The pool's own history: one zpool create, and each dataset created exactly once.
        var history = await Lab.HostAsync("zpool", "history", p);
        Assert.Single(HistoryLines(history, "zpool create "), l => l.Split(' ').Contains(p));
        foreach (var name in names)
            Assert.True(HistoryLines(history, "zfs create ").Count(l => l.EndsWith(" " + name, StringComparison.Ordinal)) == 1,
                $"{name} was not created exactly once:\n{history}");
        Assert.Equal(names.Count, HistoryLines(history, "zfs create ").Count);
        Assert.Equal(names.Order(), (await DatasetsAsync(p)).Where(n => n != p).Order());
    }

    /// <summary>Polls the status until the apply's done steps satisfy <paramref name="enough"/>; returns how many were done.</summary>
    private static async Task<int> WaitForStepsAsync(GitOpsApi api, string applyId, Func<int, bool> enough, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var apply = (await api.StatusAsync()).GetProperty("apply");
            if (apply.ValueKind == JsonValueKind.Object && apply.GetProperty("applyId").GetString() == applyId)
            {
                Assert.Equal("running", apply.GetProperty("status").GetString());
                var done = apply.GetProperty("steps").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "done");
                if (enough(done)) return done;
            }
            if (stopwatch.Elapsed > within) Assert.Fail($"apply {applyId} did not get far enough within {within}: {apply}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until no zpool/zfs process names <paramref name="pool"/> (read from /proc).</summary>
    private static async Task WaitForNoHostCommandAsync(string pool, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var running = Directory.EnumerateDirectories("/proc")
                .Select(d => Path.GetFileName(d))
                .Where(pid => pid.All(char.IsAsciiDigit))
                .Select(pid =>
                {
                    try
                    {
                        return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
                    }
                    catch (IOException)
                    {
                        return [];
                    }
                })
                .Where(argv => argv.Length > 0 && Path.GetFileName(argv[0]) is "zfs" or "zpool" && argv.Any(a => a.StartsWith(pool, StringComparison.Ordinal)))
                .Select(argv => string.Join(' ', argv))
                .ToList();
            if (running.Count == 0) return;
            if (stopwatch.Elapsed > within) Assert.Fail($"host commands on {pool} still run after {within}: {string.Join("; ", running)}");
            await Task.Delay(50);
        }
    }

    private static async Task<HashSet<string>> DatasetsAsync(string pool) =>
        (await Lab.HostAsync("zfs", "list", "-H", "-o", "name", "-r", pool))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>The commands of <c>zpool history</c> ("2024-01-01.12:00:00 zfs create -p tank/a") that start with <paramref name="prefix"/>.</summary>
    private static List<string> HistoryLines(string history, string prefix) =>
        history.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.IndexOf(' ') is var space and > 0 ? l[(space + 1)..] : l)
            .Where(c => c.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();

    private static string Describe(IEnumerable<(string Item, string Status)> steps) => string.Join(", ", steps.Select(s => $"{s.Item}={s.Status}"));
}
