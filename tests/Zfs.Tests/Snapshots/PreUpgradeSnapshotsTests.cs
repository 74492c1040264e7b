using CsCheck;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Snapshots;

namespace DPlaneOS.Zfs.Tests.Snapshots;

public sealed class PreUpgradeSnapshotsTests
{
    private static string At(int minute) => PreUpgradeSnapshots.NameAt(new DateTimeOffset(2026, 1, 2, 3, minute, 5, TimeSpan.Zero));

    [Fact]
    public void Names_are_utc_to_the_second()
    {
        Assert.Equal("pre-upgrade-20260102T010405Z", PreUpgradeSnapshots.NameAt(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 999, TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData("pre-upgrade-keep")]
    [InlineData("pre-upgrade-20260102T030405")]
    [InlineData("pre-upgrade-20260102T030405Z-old")]
    [InlineData("xpre-upgrade-20260102T030405Z")]
    [InlineData("pre-upgrade-20261302T030405Z")]
    [InlineData("pre-upgrade-20260230T030405Z")]
    [InlineData("pre-upgrade-2026010T2030405Z")]
    [InlineData("manual")]
    public void Only_the_exact_pattern_with_a_real_time_is_a_pre_upgrade_snapshot(string name) =>
        Assert.Null(PreUpgradeSnapshots.TimeOf(name));

    [Fact]
    public void A_name_gives_back_its_time()
    {
        Gen.DateTime[new DateTime(2000, 1, 1), new DateTime(2199, 12, 31)].Sample(time =>
        {
            var utc = new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
            var whole = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
            Assert.Equal(whole, PreUpgradeSnapshots.TimeOf(PreUpgradeSnapshots.NameAt(utc)));
        });
    }

    [Fact]
    public void Retention_removes_only_the_oldest_beyond_keep_recursively_from_the_pool()
    {
        var names = Enumerable.Range(0, 7).Select(At).ToList();
        var snapshots = names.SelectMany(n => new[] { $"tank@{n}", $"tank/a@{n}", $"tank/a/b@{n}" })
            .Concat(["tank@manual", "tank/a@pre-upgrade-keep", "tank@pre-upgrade-20000101T000000Z-x"]);

        var targets = PreUpgradeSnapshots.RemovalTargets(snapshots, keep: 5);

        Assert.Equal([new SnapshotTarget("tank", names[0]), new SnapshotTarget("tank", names[1])], targets);
    }

    [Fact]
    public void A_snapshot_only_on_children_is_removed_from_each_top_most_holder()
    {
        var old = At(0);
        string[] snapshots = [$"tank/a@{old}", $"tank/a/b@{old}", $"tank/c/d@{old}", $"tank@{At(1)}"];

        var targets = PreUpgradeSnapshots.RemovalTargets(snapshots, keep: 1);

        Assert.Equal([new SnapshotTarget("tank/a", old), new SnapshotTarget("tank/c/d", old)], targets);
    }

    [Fact]
    public void Fewer_than_keep_removes_nothing_and_keep_below_one_is_refused()
    {
        Assert.Empty(PreUpgradeSnapshots.RemovalTargets([$"tank@{At(0)}", $"tank@{At(1)}"], keep: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PreUpgradeSnapshots.RemovalTargets([], keep: 0));
    }

    [Fact]
    public void Retention_keeps_exactly_the_newest_and_never_names_a_foreign_snapshot()
    {
        var foreign = Gen.OneOf("manual", "pre-upgrade-keep", "daily-2026", "pre-upgrade-20260101T000000Z.bak");
        Gen.Select(Gen.Int[0, 100_000].List[0, 30], foreign.List[0, 5], Gen.Int[1, 8]).Sample((minutes, foreigners, keep) =>
        {
            var names = minutes.Distinct().Select(m => PreUpgradeSnapshots.NameAt(DateTimeOffset.UnixEpoch.AddYears(56).AddMinutes(m))).ToList();
            var snapshots = names.Select(n => $"tank@{n}").Concat(foreigners.Select(f => $"tank@{f}")).ToList();

            var removed = PreUpgradeSnapshots.RemovalTargets(snapshots, keep).Select(t => t.Snapshot).ToHashSet();

            var expected = names.OrderByDescending(n => PreUpgradeSnapshots.TimeOf(n)).Skip(keep).ToHashSet();
            Assert.Equal(expected, removed);
            Assert.DoesNotContain(removed, foreigners.Contains);
        });
    }

    [Fact]
    public void Listing_groups_a_recursive_snapshot_into_one_entry_per_pool()
    {
        var newer = At(9);
        var older = At(1);
        var rows = new List<ZfsDatasetProperties>
        {
            Row("tank", 1000, 50_000),
            Row($"tank@{newer}", 2000, 0),
            Row($"tank/a@{newer}", 2001, 4096),
            Row($"tank@{older}", 1500, 8192),
            Row("tank@manual", 1600, 1),
            Row($"backup/x@{older}", 1700, 10),
        };

        var listed = PreUpgradeSnapshots.Summarize(rows);

        Assert.Equal(
            [
                new PreUpgradeSnapshot("backup", older, DateTimeOffset.FromUnixTimeSeconds(1700), 10, 1),
                new PreUpgradeSnapshot("tank", newer, DateTimeOffset.FromUnixTimeSeconds(2000), 4096, 2),
                new PreUpgradeSnapshot("tank", older, DateTimeOffset.FromUnixTimeSeconds(1500), 8192, 1),
            ],
            listed);
    }

    private static ZfsDatasetProperties Row(string name, long creation, long used) =>
        new(name, name.Contains('@') ? "snapshot" : "filesystem",
            new Dictionary<string, string> { ["creation"] = creation.ToString(), ["used"] = used.ToString() });
}
