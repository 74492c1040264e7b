using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Tests.Capacity;

public sealed class CapacityStateTests
{
    private static readonly CapacityThresholds Thresholds = new();
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static ZpoolListEntry Pool(string name, int? percent, long size = 1000) =>
        new(name, size, percent * size / 100, size - percent * size / 100, percent, null, "ONLINE", null, null);

    private static HostResult<IReadOnlyList<ZpoolListEntry>> List(params ZpoolListEntry[] pools) =>
        HostResult<IReadOnlyList<ZpoolListEntry>>.Ok(pools);

    private static ReserveStatus Reserved(string pool, long bytes) => new(ReserveState.Reserved, EmergencyReserve.DatasetOf(pool), bytes);

    [Fact]
    public void Rises_and_falls_are_reported_once_per_level_change()
    {
        var (s1, c1) = CapacityState.Empty.Observe(T0, List(Pool("tank", 50), Pool("big", 85)), Thresholds);
        // The first reading states every pool's level (see the tests below); after it, only changes.
        Assert.Equal([("tank", CapacityLevel.Ok, true), ("big", CapacityLevel.Warning, true)], c1.Select(c => (c.Pool, c.To, c.FirstReading)));

        var (s2, c2) = s1.Observe(T0.AddSeconds(10), List(Pool("tank", 50), Pool("big", 79)), Thresholds);
        Assert.Empty(c2);
        Assert.Equal(CapacityLevel.Warning, s2.Levels["big"]);

        var (s3, c3) = s2.Observe(T0.AddSeconds(20), List(Pool("tank", 96), Pool("big", 77)), Thresholds);
        Assert.Equal(
            [("tank", CapacityLevel.Ok, CapacityLevel.Emergency, true), ("big", CapacityLevel.Warning, CapacityLevel.Ok, false)],
            c3.Select(c => (c.Pool, c.From, c.To, c.Rising)));
        Assert.Equal(T0.AddSeconds(20), s3.LastRefresh);
        Assert.Null(s3.Error);
    }

    [Fact]
    public void The_first_reading_of_a_pool_states_its_level_even_ok_and_is_neither_a_rise_nor_a_recovery()
    {
        var (s1, c1) = CapacityState.Empty.Observe(T0, List(Pool("tank", 50), Pool("full", 96)), Thresholds);
        Assert.Equal(
            [("tank", CapacityLevel.Ok, CapacityLevel.Ok, true, false, false), ("full", CapacityLevel.Ok, CapacityLevel.Emergency, true, false, false)],
            c1.Select(c => (c.Pool, c.From, c.To, c.FirstReading, c.Rising, c.Recovered)));
        Assert.NotNull(c1[0].Now);

        // Said once: the same levels again are not news.
        var (s2, c2) = s1.Observe(T0.AddSeconds(10), List(Pool("tank", 51), Pool("full", 96)), Thresholds);
        Assert.Empty(c2);

        // A real fall to ok afterwards is a recovery (the moment to re-arm a reserve), and not a first reading.
        var (_, c3) = s2.Observe(T0.AddSeconds(20), List(Pool("tank", 51), Pool("full", 60)), Thresholds);
        var fall = Assert.Single(c3);
        Assert.Equal(("full", CapacityLevel.Emergency, CapacityLevel.Ok, false, false, true), (fall.Pool, fall.From, fall.To, fall.FirstReading, fall.Rising, fall.Recovered));
    }

    [Fact]
    public void The_first_reading_keeps_hysteresis_starting_from_ok()
    {
        // 79 % is below the warning threshold: a fresh start says ok, and only 80 % is a rise to warning.
        var (s1, c1) = CapacityState.Empty.Observe(T0, List(Pool("tank", 79)), Thresholds);
        Assert.Equal(CapacityLevel.Ok, Assert.Single(c1).To);
        var (_, c2) = s1.Observe(T0.AddSeconds(10), List(Pool("tank", 80)), Thresholds);
        Assert.Equal((CapacityLevel.Ok, CapacityLevel.Warning, true), (c2.Single().From, c2.Single().To, c2.Single().Rising));
    }

    [Fact]
    public void A_pool_listed_again_after_it_went_away_is_a_first_reading_again()
    {
        var (s1, _) = CapacityState.Empty.Observe(T0, List(Pool("tank", 50)), Thresholds);
        var (s2, gone) = s1.Observe(T0.AddSeconds(10), List(), Thresholds);
        Assert.Empty(gone);
        var (_, back) = s2.Observe(T0.AddSeconds(20), List(Pool("tank", 50)), Thresholds);
        Assert.True(Assert.Single(back).FirstReading);
    }

    [Fact]
    public void A_failed_list_keeps_levels_and_pools_and_reports_the_error()
    {
        var (s1, _) = CapacityState.Empty.Observe(T0, List(Pool("tank", 91)), Thresholds);
        var failed = HostResult<IReadOnlyList<ZpoolListEntry>>.Fail(new CommandError(CommandErrorKind.TimedOut, "zpool list", "killed after 30 s"));
        var (s2, changes) = s1.Observe(T0.AddSeconds(10), failed, Thresholds);
        Assert.Empty(changes);
        Assert.Equal(CapacityLevel.Critical, s2.Levels["tank"]);
        Assert.Contains("TimedOut", s2.Error);
        var report = s2.Report(Thresholds, 2);
        Assert.Equal(91, report.Pools.Single().Percent);
        Assert.Equal(T0, report.LastRefresh);
    }

    [Fact]
    public void A_pool_that_goes_away_above_ok_is_reported_back_to_ok_and_forgotten()
    {
        var (s1, _) = CapacityState.Empty.Observe(T0, List(Pool("tank", 91), Pool("quiet", 10)), Thresholds);
        s1 = s1.WithReserves(new Dictionary<string, ReserveStatus> { ["tank"] = Reserved("tank", 20) });
        var (s2, changes) = s1.Observe(T0.AddSeconds(10), List(), Thresholds);
        var gone = Assert.Single(changes);
        Assert.Equal(("tank", CapacityLevel.Critical, CapacityLevel.Ok), (gone.Pool, gone.From, gone.To));
        Assert.Null(gone.Now);
        Assert.Empty(s2.Levels);
        Assert.Empty(s2.Reserves);
    }

    [Fact]
    public void A_reserve_is_to_be_released_only_at_or_above_emergency_and_only_while_held()
    {
        var (state, _) = CapacityState.Empty.Observe(T0, List(Pool("full", 95), Pool("fuller", 99), Pool("almost", 94), Pool("gone", 97)), Thresholds);
        state = state.WithReserves(new Dictionary<string, ReserveStatus>
        {
            ["full"] = Reserved("full", 10),
            ["fuller"] = new(ReserveState.Released, "fuller/dplane-reserved", 0),
            ["almost"] = Reserved("almost", 10),
            ["gone"] = new(ReserveState.None, "gone/dplane-reserved"),
        });
        Assert.Equal(["full"], state.ReservesToRelease(Thresholds));
    }

    [Fact]
    public void The_report_carries_levels_reserves_and_settings()
    {
        var (state, _) = CapacityState.Empty.Observe(T0, List(Pool("tank", 81, size: 2000), Pool("new", 1)), Thresholds);
        state = state.WithReserves(new Dictionary<string, ReserveStatus> { ["tank"] = Reserved("tank", 40), ["unlisted"] = Reserved("unlisted", 1) });
        var report = state.Report(Thresholds, 2.5);
        Assert.Equal(2.5, report.ReservePercent);
        Assert.Same(Thresholds, report.Thresholds);
        var tank = report.Pools[0];
        Assert.Equal((2000L, 1620L, 380L, 81, CapacityLevel.Warning), (tank.Size!.Value, tank.Used!.Value, tank.Free!.Value, tank.Percent!.Value, tank.Level));
        Assert.Equal((ReserveState.Reserved, 40L, "tank/dplane-reserved"), (tank.Reserve.State, tank.Reserve.Bytes!.Value, tank.Reserve.Dataset));
        Assert.Equal(ReserveState.Unknown, report.Pools[1].Reserve.State);
        Assert.DoesNotContain(state.Reserves.Keys, k => k == "unlisted");
    }

    [Fact]
    public void Reserve_status_is_read_from_refreservation()
    {
        ZfsDatasetProperties Dataset(string value) => new("tank/dplane-reserved", "filesystem", new Dictionary<string, string> { ["refreservation"] = value });
        Assert.Equal(ReserveState.None, ReserveStatus.From("tank", null).State);
        Assert.Equal((ReserveState.Reserved, 1908408L), (ReserveStatus.From("tank", Dataset("1908408")).State, ReserveStatus.From("tank", Dataset("1908408")).Bytes!.Value));
        Assert.Equal(ReserveState.Released, ReserveStatus.From("tank", Dataset("0")).State);
        Assert.Equal(ReserveState.Released, ReserveStatus.From("tank", Dataset("none")).State);
        var missing = ReserveStatus.From("tank", new ZfsDatasetProperties("tank/dplane-reserved", "filesystem", new Dictionary<string, string>()));
        Assert.Equal(ReserveState.Unknown, missing.State);
        Assert.Contains("no refreservation", missing.Error);
    }
}
