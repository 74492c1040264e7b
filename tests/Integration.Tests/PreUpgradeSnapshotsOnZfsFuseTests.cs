using System.Text.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Snapshots;

namespace DPlaneOS.Integration.Tests;

/// <summary>
/// Pre-upgrade snapshots on real zfs-fuse pools with nested datasets: recursion, retention and
/// foreign snapshots, through the snapshotter (with a settable clock), the real CLI verb and the
/// list route. Every run is limited to the test's own pool: the lab's zfs-fuse is shared.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class PreUpgradeSnapshotsOnZfsFuseTests
{
    private static async Task<string[]> CreateNestedDatasetsAsync(LabPool pool)
    {
        await Lab.HostAsync("zfs", "create", $"{pool.Name}/a");
        await Lab.HostAsync("zfs", "create", $"{pool.Name}/a/b");
        await Lab.HostAsync("zfs", "snapshot", $"{pool.Name}@manual");
        await Lab.HostAsync("zfs", "snapshot", $"{pool.Name}/a@pre-upgrade-keep");
        await Lab.HostAsync("zfs", "snapshot", "-r", $"{pool.Name}@pre-upgrade-20000101T000000Z-old");
        return [pool.Name, $"{pool.Name}/a", $"{pool.Name}/a/b"];
    }

    private static async Task<List<string>> SnapshotsAsync(string pool) =>
        (await Lab.HostAsync("zfs", "list", "-H", "-t", "snapshot", "-o", "name", "-r", pool))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static HashSet<string> PreUpgradeNamesOf(IEnumerable<string> snapshots, string dataset) =>
        snapshots.Where(s => s.StartsWith(dataset + "@", StringComparison.Ordinal))
            .Select(s => s[(dataset.Length + 1)..])
            .Where(n => PreUpgradeSnapshots.TimeOf(n) is not null)
            .ToHashSet();

    [Fact]
    public async Task Seven_runs_keep_the_newest_five_recursive_snapshots_and_never_touch_foreign_ones()
    {
        await using var pool = await LabPool.CreateAsync();
        var datasets = await CreateNestedDatasetsAsync(pool);
        var clock = new SettableTime(new DateTimeOffset(2031, 5, 6, 7, 0, 0, TimeSpan.Zero));
        var runner = new CommandRunner();
        var snapshotter = new PreUpgradeSnapshotter(new ZpoolCommand(runner, new HostTools()), new ZfsCommand(runner, new HostTools()), clock);

        var names = new List<string>();
        for (var run = 0; run < 7; run++)
        {
            clock.Now = clock.Now.AddMinutes(1);
            var result = await snapshotter.RunAsync(keep: 5, pools: [pool.Name]);
            names.Add(result.SnapshotName);
            var outcome = Assert.Single(result.Pools);
            Assert.True(outcome.Taken, outcome.SnapshotError);
            Assert.Empty(outcome.RetentionErrors);
            Assert.Equal(3, outcome.Datasets);
            Assert.Equal(run < 5 ? [] : [new SnapshotTarget(pool.Name, names[run - 5])], outcome.Removed);
        }

        var snapshots = await SnapshotsAsync(pool.Name);
        foreach (var dataset in datasets)
            Assert.Equal(names.Skip(2).ToHashSet(), PreUpgradeNamesOf(snapshots, dataset));
        Assert.Contains($"{pool.Name}@manual", snapshots);
        Assert.Contains($"{pool.Name}/a@pre-upgrade-keep", snapshots);
        Assert.All(datasets, d => Assert.Contains($"{d}@pre-upgrade-20000101T000000Z-old", snapshots));

        // The same second again: ZFS refuses the name, the run says so, and nothing is removed.
        var again = await snapshotter.RunAsync(keep: 1, pools: [pool.Name]);
        Assert.False(again.AllTaken);
        Assert.Contains("already exists", again.Pools.Single().SnapshotError);
        Assert.Equal(snapshots.Order(), (await SnapshotsAsync(pool.Name)).Order());

        // The route lists them from ZFS, newest first, one entry per recursive snapshot.
        await using var daemon = await DaemonFixture.StartAsync();
        var json = JsonDocument.Parse(await daemon.Client(daemon.Token).GetStringAsync("/api/nixos/pre-upgrade-snapshots")).RootElement;
        var listed = json.GetProperty("snapshots").EnumerateArray().Where(s => s.GetProperty("pool").GetString() == pool.Name).ToList();
        Assert.Equal(names.Skip(2).Reverse(), listed.Select(s => s.GetProperty("name").GetString()));
        Assert.All(listed, s => Assert.Equal(3, s.GetProperty("datasets").GetInt32()));
        Assert.All(listed, s => Assert.True(s.GetProperty("usedBytes").GetInt64() >= 0));
        Assert.All(listed, s => Assert.True(s.GetProperty("created").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal(json.GetProperty("snapshots").GetArrayLength(), json.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task The_cli_verb_snapshots_every_dataset_and_says_what_it_did_or_why_it_failed()
    {
        await using var pool = await LabPool.CreateAsync();
        var datasets = await CreateNestedDatasetsAsync(pool);
        // Five older pre-upgrade snapshots; the oldest has a clone, so ZFS refuses to destroy it.
        var older = Enumerable.Range(1, 5).Select(year => $"pre-upgrade-200{year}0101T000000Z").ToList();
        foreach (var old in older) await Lab.HostAsync("zfs", "snapshot", "-r", $"{pool.Name}@{old}");
        await Lab.HostAsync("zfs", "clone", $"{pool.Name}/a@{older[0]}", $"{pool.Name}/restored");
        var dir = Directory.CreateTempSubdirectory("dplaned-cli-").FullName;

        var ok = await RunCliAsync(dir, new { DPlaneOS = new { Snapshots = new { PreUpgradePools = new[] { pool.Name } } } });
        Assert.True(ok.ExitCode == 0, $"exit {ok.ExitCode}: {ok.StandardError}");
        var line = Assert.Single(ok.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches($@"^dplaned: {pool.Name}@pre-upgrade-[0-9]{{8}}T[0-9]{{6}}Z: taken recursively \(4 datasets\)$", line);
        Assert.Contains($"dplaned: warning: {pool.Name}: zfs destroy -r {pool.Name}@{older[0]} failed", ok.StandardError);
        var name = line.Split('@')[1].Split(':')[0];
        var snapshots = await SnapshotsAsync(pool.Name);
        Assert.All(datasets.Append($"{pool.Name}/restored"), d => Assert.Contains($"{d}@{name}", snapshots));
        Assert.Contains($"{pool.Name}/a@{older[0]}", snapshots);

        // Once the clone is gone, the next run removes the two oldest and keeps five.
        await Lab.ZfsDestroyAsync("-rf", $"{pool.Name}/restored");
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // names are per second
        var next = await RunCliAsync(dir, new { DPlaneOS = new { Snapshots = new { PreUpgradePools = new[] { pool.Name } } } });
        Assert.True(next.ExitCode == 0, $"exit {next.ExitCode}: {next.StandardError}");
        Assert.Contains($"removed {pool.Name}@{older[0]} (keeping the newest 5)", next.StandardOutput);
        Assert.Contains($"removed {pool.Name}@{older[1]} (keeping the newest 5)", next.StandardOutput);
        snapshots = await SnapshotsAsync(pool.Name);
        Assert.All(datasets, d => Assert.Equal(5, PreUpgradeNamesOf(snapshots, d).Count));

        var missing = await RunCliAsync(dir, new { DPlaneOS = new { Snapshots = new { PreUpgradePools = new[] { "dplnotimported" } } } });
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("pool 'dplnotimported' is configured for pre-upgrade snapshots but not imported", missing.StandardError);

        var bad = await RunCliAsync(dir, new { DPlaneOS = new { Snapshots = new { PreUpgradeKeep = 0 } } });
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("DPlaneOS:Snapshots:PreUpgradeKeep must be at least 1", bad.StandardError);
        Assert.Equal(snapshots.Order(), (await SnapshotsAsync(pool.Name)).Order());
    }

    /// <summary>Runs the built dplaned with <c>snapshot pre-upgrade --config &lt;settings&gt;</c>, as the OTA script does.</summary>
    private static async Task<CommandResult> RunCliAsync(string dir, object settings)
    {
        var config = Path.Combine(dir, $"settings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings));
        var dll = Path.Combine(AppContext.BaseDirectory, "dplaned.dll");
        var run = await new CommandRunner().RunAsync(["dotnet", dll, "snapshot", "pre-upgrade", "--config", config, "--data-dir", dir], TimeSpan.FromMinutes(2));
        Assert.True(run.IsOk, run.Error?.ToString());
        return run.Value;
    }

    private sealed class SettableTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
