using Akka.Event;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using static DPlaneOS.Actors.Storage.Capacity.CapacityGuardianEffect;

namespace DPlaneOS.Actors.Tests.Capacity;

/// <summary>The capacity guardian's decisions, without an actor system.</summary>
public sealed class CapacityGuardianStateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CapacityOptions Defaults = new();
    private static readonly ReserveStatus Held = new(ReserveState.Reserved, "tank/dplane-reserved", 20_000_000);
    private static readonly ReserveStatus Released = new(ReserveState.Released, "tank/dplane-reserved", 0);

    /// <summary>A <c>zpool list</c> of 1 GB pools at the given used percents.</summary>
    internal static CapacityGuardianInput.Observed Listing(params (string Pool, int Percent)[] pools) =>
        new(T0, HostResult<IReadOnlyList<ZpoolListEntry>>.Ok(pools
            .Select(p => new ZpoolListEntry(p.Pool, 1_000_000_000, p.Percent * 10_000_000L, (100 - p.Percent) * 10_000_000L, p.Percent, 1, "ONLINE", 1.0, null))
            .ToList()));

    private static CapacityGuardianInput.Observed Tank(int percent) => Listing(("tank", percent));

    private static IEnumerable<Publish> Published(CapacityGuardianDecision decision) => decision.Effects.OfType<Publish>();

    private static CapacityGuardianDecision Then(CapacityGuardianDecision decision, CapacityGuardianInput input, CapacityOptions? options = null) =>
        decision.State.Decide(input, T0, options ?? Defaults);

    /// <summary>The reserve read the decision started lands with <paramref name="reserve"/> for tank.</summary>
    private static CapacityGuardianDecision ReadLands(CapacityGuardianDecision decision, ReserveStatus reserve, CapacityOptions? options = null)
    {
        var read = Assert.Single(decision.Effects.OfType<ReadReserves>());
        return Then(decision, new CapacityGuardianInput.ReservesRead(read.Version, new Dictionary<string, ReserveStatus> { ["tank"] = reserve }), options);
    }

    private static CapacityGuardianDecision Start(int percent, ReserveStatus reserve, CapacityOptions? options = null) =>
        ReadLands(CapacityGuardianState.Empty.Decide(Tank(percent), T0, options ?? Defaults), reserve, options);

    private static CapacityGuardianInput.OperationFinished Done(ReserveOperation operation, long bytes = 20_000_000) =>
        new(operation, new ReserveOutcome(ReserveOutcomeKind.Done, "tank", "tank/dplane-reserved", bytes, "done"));

    [Fact]
    public void The_first_reading_states_each_pools_level_even_ok_and_reads_the_reserves()
    {
        var first = CapacityGuardianState.Empty.Decide(Listing(("tank", 50), ("backup", 85)), T0, Defaults);
        var events = Published(first).ToDictionary(p => p.Pool);
        Assert.Equal((CapacityEvents.Ok, Severity.Resolved, CapacityEvents.UnknownLevel, T0),
            (events["tank"].Type, events["tank"].Severity, events["tank"].Data[CapacityEvents.PreviousLevelKey], events["tank"].At));
        Assert.Equal("first reading since start", events["tank"].Data[CapacityEvents.ReasonKey]);
        Assert.False(events["tank"].Data.ContainsKey(CapacityEvents.ThresholdKey));
        Assert.Equal((CapacityEvents.Warning, Severity.Warning, "80", "85"),
            (events["backup"].Type, events["backup"].Severity, events["backup"].Data[CapacityEvents.ThresholdKey], events["backup"].Data[CapacityEvents.PercentKey]));
        Assert.Equal(["backup", "tank"], Assert.Single(first.Effects.OfType<ReadReserves>()).Pools.Order());
        Assert.True(first.State.ReserveReadInFlight);

        var again = Then(first, Listing(("tank", 50), ("backup", 85)));
        Assert.Empty(Published(again));
        Assert.Empty(again.Effects.OfType<ReadReserves>());
    }

    [Fact]
    public void A_level_is_left_only_below_its_threshold_minus_the_hysteresis()
    {
        var warning = Then(CapacityGuardianState.Empty.Decide(Tank(50), T0, Defaults), Tank(85));
        var rise = Assert.Single(Published(warning));
        Assert.Equal((CapacityEvents.Warning, "ok", "85", "850000000"),
            (rise.Type, rise.Data[CapacityEvents.PreviousLevelKey], rise.Data[CapacityEvents.PercentKey], rise.Data[CapacityEvents.UsedKey]));

        var state = warning;
        foreach (var percent in new[] { 79, 78, 80, 89 })
        {
            state = Then(state, Tank(percent));
            Assert.Empty(Published(state));
        }
        var fall = Assert.Single(Published(Then(state, Tank(77))));
        Assert.Equal((CapacityEvents.Ok, Severity.Resolved, "warning"), (fall.Type, fall.Severity, fall.Data[CapacityEvents.PreviousLevelKey]));
    }

    [Fact]
    public void A_pool_that_goes_away_above_ok_ends_its_level_and_one_at_ok_goes_quietly()
    {
        var both = CapacityGuardianState.Empty.Decide(Listing(("tank", 91), ("backup", 10)), T0, Defaults);
        var gone = Then(both, Listing());
        var ended = Assert.Single(Published(gone));
        Assert.Equal((CapacityEvents.Ok, "tank", "critical", "the pool is no longer listed"),
            (ended.Type, ended.Pool, ended.Data[CapacityEvents.PreviousLevelKey], ended.Data[CapacityEvents.ReasonKey]));
        Assert.False(ended.Data.ContainsKey(CapacityEvents.PercentKey));
        Assert.Empty(gone.State.Capacity.Levels);
    }

    [Fact]
    public void A_failed_zpool_list_keeps_the_levels_publishes_nothing_and_logs_a_warning()
    {
        var warning = CapacityGuardianState.Empty.Decide(Tank(85), T0, Defaults);
        var failed = Then(warning, new CapacityGuardianInput.Observed(T0, HostResult<IReadOnlyList<ZpoolListEntry>>.Fail(
            new CommandError(CommandErrorKind.TimedOut, "zpool list", "killed after 30 s"))));
        Assert.Empty(Published(failed));
        Assert.Equal(CapacityLevel.Warning, failed.State.Capacity.Levels["tank"]);
        Assert.Contains("killed after 30 s", failed.State.Capacity.Error);
        Assert.Equal(LogLevel.WarningLevel, Assert.Single(failed.Effects.OfType<Log>()).Level);
        Assert.Contains("killed after 30 s", failed.State.Report(Defaults).Error);
    }

    [Fact]
    public void At_emergency_a_held_reserve_is_released_once_and_the_release_is_published()
    {
        var emergency = Start(96, Held);
        Assert.Equal([new RunOperation(ReserveOperation.AutoRelease, "tank")], emergency.Effects);
        Assert.Equal(new RunningOperation(ReserveOperation.AutoRelease, "tank"), emergency.State.Running);

        // Readings while the release runs start nothing more.
        var meanwhile = Then(emergency, Tank(97));
        Assert.Empty(meanwhile.Effects.OfType<RunOperation>());

        var released = Then(meanwhile, Done(ReserveOperation.AutoRelease));
        var published = Assert.Single(Published(released));
        Assert.Equal((CapacityEvents.ReserveReleased, Severity.Warning, "true", "20000000", "97"),
            (published.Type, published.Severity, published.Data[CapacityEvents.AutomaticKey], published.Data[CapacityEvents.BytesFreedKey], published.Data[CapacityEvents.PercentKey]));
        Assert.Empty(released.Effects.OfType<Reply>());
        Assert.Empty(released.Effects.OfType<RunOperation>());
        Assert.Equal(ReserveState.Released, released.State.Capacity.Reserves["tank"].State);
        Assert.Null(released.State.Running);
    }

    [Fact]
    public void A_read_that_began_before_a_change_is_stale_and_read_again()
    {
        var first = CapacityGuardianState.Empty.Decide(Tank(50), T0, Defaults);
        var read = Assert.Single(first.Effects.OfType<ReadReserves>());
        var reserving = Then(first, new CapacityGuardianInput.Requested(ReserveOperation.Reserve, "tank"));
        Assert.Equal([new RunOperation(ReserveOperation.Reserve, "tank")], reserving.Effects);

        var stale = Then(reserving, new CapacityGuardianInput.ReservesRead(read.Version, new Dictionary<string, ReserveStatus> { ["tank"] = ReserveStatus.From("tank", null) }));
        var again = Assert.Single(stale.Effects.OfType<ReadReserves>());
        Assert.NotEqual(read.Version, again.Version);
        Assert.False(stale.State.Capacity.Reserves.ContainsKey("tank"));
    }

    [Fact]
    public void Requests_during_a_change_wait_and_are_answered_when_it_finishes()
    {
        var reserving = Then(Start(50, ReserveStatus.From("tank", null)), new CapacityGuardianInput.Requested(ReserveOperation.Reserve, "tank"));
        var waiting = Then(reserving, new CapacityGuardianInput.Requested(ReserveOperation.Release, "tank"));
        Assert.Equal([Stash.Instance], waiting.Effects);

        var done = Then(waiting, Done(ReserveOperation.Reserve));
        var outcome = done.Effects.OfType<Reply>().Single().Outcome;
        Assert.Equal(ReserveOutcomeKind.Done, outcome.Kind);
        var armed = Assert.Single(Published(done));
        Assert.Equal((CapacityEvents.ReserveArmed, Severity.Info, "false", "20000000"),
            (armed.Type, armed.Severity, armed.Data[CapacityEvents.AutomaticKey], armed.Data[CapacityEvents.BytesKey]));
        // The reply before the waiting requests come back; then a fresh read of the reserves.
        var order = done.Effects.Select(e => e.GetType()).ToList();
        Assert.True(order.IndexOf(typeof(Reply)) < order.IndexOf(typeof(UnstashAll)));
        Assert.Single(done.Effects.OfType<ReadReserves>());
        Assert.Equal(ReserveState.Reserved, done.State.Capacity.Reserves["tank"].State);
    }

    [Fact]
    public void A_reserve_on_a_pool_at_emergency_is_refused_at_once()
    {
        var refused = Then(Start(96, ReserveStatus.From("tank", null)), new CapacityGuardianInput.Requested(ReserveOperation.Reserve, "tank"));
        var outcome = Assert.IsType<Reply>(Assert.Single(refused.Effects)).Outcome;
        Assert.Equal(ReserveOutcomeKind.OutOfSpace, outcome.Kind);
        Assert.Contains("emergency threshold 95", outcome.Message);
        Assert.Null(refused.State.Running);

        // Releasing by hand at emergency is still allowed.
        var release = Then(refused, new CapacityGuardianInput.Requested(ReserveOperation.Release, "tank"));
        Assert.Equal([new RunOperation(ReserveOperation.Release, "tank")], release.Effects);
    }

    [Fact]
    public void A_failed_automatic_release_is_published_and_tried_again_at_the_next_reading_only()
    {
        var emergency = Start(96, Held);
        var failed = Then(emergency, new CapacityGuardianInput.OperationFinished(ReserveOperation.AutoRelease, ReserveOutcome.Failed("tank", "permission denied")));
        var published = Assert.Single(Published(failed));
        Assert.Equal((CapacityEvents.ReserveReleaseFailed, Severity.Critical, "permission denied"),
            (published.Type, published.Severity, published.Data[CapacityEvents.MessageKey]));
        Assert.Equal(LogLevel.ErrorLevel, Assert.Single(failed.Effects.OfType<Log>()).Level);
        Assert.Contains("tank", failed.State.ReleaseFailed);
        Assert.Empty(failed.Effects.OfType<RunOperation>());

        // The fresh read still shows it held: not tried again before the next reading.
        var read = ReadLands(failed, Held);
        Assert.Empty(read.Effects);

        var next = Then(read, Tank(96));
        Assert.Empty(next.State.ReleaseFailed);
        Assert.Equal([new RunOperation(ReserveOperation.AutoRelease, "tank")], next.Effects.OfType<RunOperation>());
    }

    [Fact]
    public void An_automatic_change_that_finds_the_reserve_changed_by_hand_waits_for_a_fresh_read()
    {
        var emergency = Start(96, Held);
        var stale = Then(emergency, new CapacityGuardianInput.OperationFinished(ReserveOperation.AutoRelease,
            new ReserveOutcome(ReserveOutcomeKind.NotReserved, "tank", "tank/dplane-reserved", 0, "already released")));
        Assert.Empty(Published(stale));
        Assert.Empty(stale.Effects.OfType<RunOperation>());
        Assert.Single(stale.Effects.OfType<ReadReserves>());
        Assert.Empty(stale.State.ReleaseFailed);

        Assert.Empty(ReadLands(stale, Released).Effects);
    }

    [Fact]
    public void A_reserve_released_at_emergency_is_re_armed_when_the_pool_recovers_to_ok()
    {
        var released = Then(Start(97, Held), Done(ReserveOperation.AutoRelease));
        var warning = Then(released, Tank(79));
        Assert.Equal(CapacityEvents.Warning, Assert.Single(Published(warning)).Type);
        Assert.Empty(warning.State.RearmWanted);

        var ok = Then(warning, Tank(70));
        Assert.Equal(CapacityEvents.Ok, Assert.Single(Published(ok)).Type);
        Assert.Equal([new RunOperation(ReserveOperation.Rearm, "tank")], ok.Effects.OfType<RunOperation>());
        Assert.Empty(ok.State.RearmWanted);

        var armed = Then(ok, Done(ReserveOperation.Rearm));
        Assert.Equal((CapacityEvents.ReserveArmed, "true"), (Assert.Single(Published(armed)).Type, Published(armed).Single().Data[CapacityEvents.AutomaticKey]));
        Assert.Empty(armed.Effects.OfType<Reply>());
    }

    [Fact]
    public void A_recovery_waits_for_a_read_showing_the_reserve_released_and_forgets_one_that_is_held_or_gone()
    {
        var critical = CapacityGuardianState.Empty.Decide(Tank(92), T0, Defaults);
        var recovered = Then(critical, Tank(50));
        Assert.Equal(["tank"], recovered.State.RearmWanted);
        Assert.Empty(recovered.Effects.OfType<RunOperation>());

        Assert.Equal([new RunOperation(ReserveOperation.Rearm, "tank")], ReadLands(critical, Released).State.Decide(Tank(50), T0, Defaults).Effects.OfType<RunOperation>());
        var held = Then(recovered, new CapacityGuardianInput.ReservesRead(recovered.State.ReserveVersion, new Dictionary<string, ReserveStatus> { ["tank"] = Held }));
        Assert.Empty(held.State.RearmWanted);
        Assert.Empty(held.Effects);
    }

    [Fact]
    public void Without_re_arming_or_at_a_first_reading_a_released_reserve_stays_released()
    {
        var off = new CapacityOptions { RearmOnRecovery = false };
        var released = Then(Start(97, Held, off), Done(ReserveOperation.AutoRelease), off);
        var ok = Then(released, Tank(50), off);
        Assert.Equal(CapacityEvents.Ok, Assert.Single(Published(ok)).Type);
        Assert.Empty(ok.State.RearmWanted);
        Assert.Empty(ok.Effects.OfType<RunOperation>());

        var fresh = Start(50, Released);
        Assert.Empty(fresh.Effects);
        Assert.Empty(fresh.State.RearmWanted);
    }

    [Fact]
    public void Rising_again_before_the_re_arm_cancels_it()
    {
        var recovered = Then(CapacityGuardianState.Empty.Decide(Tank(92), T0, Defaults), Tank(50));
        Assert.Equal(["tank"], recovered.State.RearmWanted);
        var risen = Then(recovered, Tank(85));
        Assert.Empty(risen.State.RearmWanted);
        var read = Then(risen, new CapacityGuardianInput.ReservesRead(risen.State.ReserveVersion, new Dictionary<string, ReserveStatus> { ["tank"] = Released }));
        Assert.Empty(read.Effects);
    }

    [Fact]
    public void The_report_shows_levels_and_reserves()
    {
        var report = Start(85, Held).State.Report(Defaults);
        var pool = Assert.Single(report.Pools);
        Assert.Equal((CapacityLevel.Warning, 85, ReserveState.Reserved, 2.0), (pool.Level, pool.Percent!.Value, pool.Reserve.State, report.ReservePercent));
        var empty = CapacityGuardianState.Empty.Report(Defaults);
        var notRead = CapacityReport.NotReadYet(Defaults.Thresholds, Defaults.ReservePercent);
        Assert.Equal((notRead.LastRefresh, notRead.Error, notRead.Thresholds, notRead.ReservePercent), (empty.LastRefresh, empty.Error, empty.Thresholds, empty.ReservePercent));
        Assert.Empty(empty.Pools);
    }
}
