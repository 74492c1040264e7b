using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Snapshots;
using DPlaneOS.Zfs.Tests.Host;

namespace DPlaneOS.Zfs.Tests.Snapshots;

/// <summary>The run's decisions over scripted zpool/zfs answers; the real thing is tested on zfs-fuse in Integration.Tests.</summary>
public sealed class PreUpgradeSnapshotterTests
{
    private const string Now = "pre-upgrade-20260102T030405Z";
    private static readonly FixedTime Clock = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static (PreUpgradeSnapshotter Snapshotter, ScriptedRunner Runner) Build(Func<string, (int, string, string)?> answer)
    {
        var runner = new ScriptedRunner(line => answer(line) ?? line switch
        {
            "zpool list -Hp -o name" => (0, "tank\nbackup\n", ""),
            "zpool list -Hp -o name,size,allocated,free,capacity,fragmentation,health,dedupratio,altroot" =>
                (0, "tank\t100\t10\t90\t10\t0\tONLINE\t1.00\t-\nbackup\t100\t10\t90\t10\t0\tONLINE\t1.00\t-\n", ""),
            _ => (2, "", $"unexpected: {line}"),
        });
        var tools = new HostTools();
        return (new PreUpgradeSnapshotter(new ZpoolCommand(runner, tools), new ZfsCommand(runner, tools), Clock), runner);
    }

    private static string Listing(string pool, params string[] snapshots) =>
        string.Concat(snapshots.Select(s => $"{pool}@{s}\tcreation\t1\t-\n{pool}@{s}\tused\t0\t-\n"));

    [Fact]
    public async Task A_failed_snapshot_skips_retention_in_that_pool_only()
    {
        var (snapshotter, runner) = Build(line => line switch
        {
            $"zfs snapshot -r -- tank@{Now}" => (1, "", $"cannot create snapshot 'tank@{Now}': out of space\n"),
            $"zfs snapshot -r -- backup@{Now}" => (0, "", ""),
            "zfs get -Hp -o name,property,value,source creation,used -r -- backup" =>
                (0, Listing("backup", Now, "pre-upgrade-20200101T000000Z", "manual"), ""),
            "zfs destroy -r -- backup@pre-upgrade-20200101T000000Z" => (0, "", ""),
            _ => null,
        });

        var run = await snapshotter.RunAsync(keep: 1, pools: []);

        Assert.False(run.AllTaken);
        var tank = run.Pools.Single(p => p.Pool == "tank");
        Assert.False(tank.Taken);
        Assert.Contains("out of space", tank.SnapshotError);
        Assert.DoesNotContain(runner.Calls, c => c.Contains("-r -- tank") && !c.StartsWith("zfs snapshot", StringComparison.Ordinal));
        var backup = run.Pools.Single(p => p.Pool == "backup");
        Assert.Equal([new SnapshotTarget("backup", "pre-upgrade-20200101T000000Z")], backup.Removed);
        Assert.DoesNotContain(runner.Calls, c => c.Contains("destroy") && c.Contains("manual"));
    }

    [Fact]
    public async Task A_failed_removal_is_reported_and_the_run_goes_on()
    {
        var (snapshotter, _) = Build(line => line switch
        {
            _ when line.StartsWith("zfs snapshot -r -- ", StringComparison.Ordinal) => (0, "", ""),
            "zfs get -Hp -o name,property,value,source creation,used -r -- tank" =>
                (0, Listing("tank", Now, "pre-upgrade-20200101T000000Z", "pre-upgrade-20190101T000000Z"), ""),
            "zfs get -Hp -o name,property,value,source creation,used -r -- backup" => (0, Listing("backup", Now), ""),
            "zfs destroy -r -- tank@pre-upgrade-20190101T000000Z" => (1, "", "cannot destroy: dataset is busy\n"),
            "zfs destroy -r -- tank@pre-upgrade-20200101T000000Z" => (0, "", ""),
            _ => null,
        });

        var run = await snapshotter.RunAsync(keep: 1, pools: []);

        Assert.True(run.AllTaken);
        Assert.True(run.RetentionFailed);
        var tank = run.Pools.Single(p => p.Pool == "tank");
        Assert.Equal([new SnapshotTarget("tank", "pre-upgrade-20200101T000000Z")], tank.Removed);
        Assert.Contains("dataset is busy", Assert.Single(tank.RetentionErrors));
    }

    [Fact]
    public async Task A_configured_pool_that_is_not_imported_is_a_failure_and_others_are_not_touched()
    {
        var (snapshotter, runner) = Build(_ => null);

        var run = await snapshotter.RunAsync(keep: 5, pools: ["ghost"]);

        Assert.False(run.AllTaken);
        Assert.Contains("not imported", run.Pools.Single().SnapshotError);
        Assert.DoesNotContain(runner.Calls, c => c.StartsWith("zfs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_pool_names_never_reach_a_command_line()
    {
        var (snapshotter, runner) = Build(_ => null);
        await Assert.ThrowsAsync<ArgumentException>(() => snapshotter.RunAsync(5, ["-r"]));
        Assert.Empty(runner.Calls);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
