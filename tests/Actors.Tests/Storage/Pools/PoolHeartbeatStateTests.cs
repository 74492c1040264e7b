using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Storage.Pools;
using static DPlaneOS.Actors.Storage.Pools.HeartbeatObservation;

namespace DPlaneOS.Actors.Tests.Storage.Pools;

public sealed class PoolHeartbeatStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Applies the observations in order and returns the final state and every signal type sent.</summary>
    private static (PoolHeartbeatState State, List<PoolSignal> Signals) Run(PoolHeartbeatState start, params HeartbeatObservation[] observations)
    {
        var state = start;
        var signals = new List<PoolSignal>();
        var at = T0;
        foreach (var observation in observations)
        {
            var transition = state.Apply(observation, at);
            state = transition.State;
            signals.AddRange(transition.Signals);
            at = at.AddSeconds(30);
        }
        return (state, signals);
    }

    /// <summary>
    /// A heartbeat that has already stated its health and its probe path once (as one resumed from its keeper within
    /// the daemon), so these tests see the transitions only; the first statements of a fresh heartbeat have their own tests below.
    /// </summary>
    private static readonly PoolHeartbeatState AlreadyStated = PoolHeartbeatState.Initial with { HealthStated = true, PathStated = true };

    private static (PoolHeartbeatState State, List<PoolSignal> Signals) Run(params HeartbeatObservation[] observations) =>
        Run(AlreadyStated, observations);

    private static readonly ProbeSucceeded Ok = new(TimeSpan.FromMilliseconds(5));

    [Fact]
    public void A_healthy_pool_sends_nothing_however_often_it_is_probed()
    {
        var (state, signals) = Run(new StateRead("ONLINE"), Ok, Ok, new StateRead("ONLINE"), Ok);
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Empty(signals);
        Assert.Equal(T0.AddSeconds(120), state.LastSuccessAt);
    }

    [Theory]
    [InlineData("SUSPENDED")]
    [InlineData("UNAVAIL")]
    [InlineData("FAULTED")]
    public void A_failing_pool_state_fails_the_pool_once(string poolState)
    {
        var (state, signals) = Run(new StateRead("ONLINE"), Ok, new StateRead(poolState), new StateRead(poolState), Ok);
        Assert.Equal(PoolHealth.Failed, state.Health);
        var failed = Assert.Single(signals);
        Assert.Equal(PoolEvents.Failed, failed.Type);
        Assert.Equal(Severity.Critical, failed.Severity);
        Assert.Equal($"pool state is {poolState}", failed.Reason);
    }

    [Theory]
    [InlineData("ONLINE")]
    [InlineData("online")]
    [InlineData("UNAVAIL ")]
    [InlineData("SUSPENDED_SOON")]
    public void Only_the_exact_failing_states_count(string poolState)
    {
        var (state, signals) = Run(new StateRead(poolState), Ok);
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Empty(signals);
    }

    [Fact]
    public void A_failed_write_fails_the_pool_with_its_reason_and_a_later_success_recovers_it()
    {
        var (state, signals) = Run(new StateRead("ONLINE"), Ok, new ProbeFailed("write failed: Input/output error"),
            new ProbeFailed("write failed: Input/output error"), Ok, Ok);
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Equal([PoolEvents.Failed, PoolEvents.Recovered], signals.Select(s => s.Type));
        Assert.Equal("write failed: Input/output error", signals[0].Reason);
        Assert.Equal(Severity.Resolved, signals[1].Severity);
    }

    [Fact]
    public void A_hung_probe_fails_the_pool_and_its_late_success_recovers_it()
    {
        var (state, signals) = Run(Ok, new ProbeHung(TimeSpan.FromSeconds(10)));
        Assert.Equal(PoolHealth.Failed, state.Health);
        Assert.Equal(ProbeCondition.Hung, state.Probe);
        Assert.Contains("did not finish within 10 s", Assert.Single(signals).Reason);

        var recovered = state.Apply(Ok, T0.AddMinutes(5));
        Assert.Equal(PoolHealth.Healthy, recovered.State.Health);
        Assert.Equal(PoolEvents.Recovered, Assert.Single(recovered.Signals).Type);
    }

    [Fact]
    public void A_failure_window_stays_open_until_a_probe_succeeds_again()
    {
        // zpool says ONLINE again and the pool is unmounted: neither proves that writes work.
        var (state, signals) = Run(Ok, new StateRead("SUSPENDED"), new StateRead("ONLINE"), new NotMounted("not mounted"), new StateRead("ONLINE"));
        Assert.Equal(PoolHealth.Failed, state.Health);
        Assert.Equal(PoolEvents.Failed, Assert.Single(signals).Type);

        var recovered = state.Apply(Ok, T0.AddMinutes(5));
        Assert.Equal(PoolHealth.Healthy, recovered.State.Health);
        Assert.Equal(PoolEvents.Recovered, Assert.Single(recovered.Signals).Type);
    }

    [Fact]
    public void A_success_while_zpool_still_says_suspended_does_not_recover()
    {
        var (state, signals) = Run(Ok, new StateRead("SUSPENDED"), Ok);
        Assert.Equal(PoolHealth.Failed, state.Health);
        Assert.Single(signals);
    }

    [Fact]
    public void Degraded_is_a_warning_once_and_recovery_resolves_it()
    {
        var (state, signals) = Run(new StateRead("ONLINE"), Ok, new StateRead("DEGRADED"), Ok, new StateRead("DEGRADED"), Ok, new StateRead("ONLINE"));
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Equal([PoolEvents.Degraded, PoolEvents.Recovered], signals.Select(s => s.Type));
        Assert.Equal(Severity.Warning, signals[0].Severity);
    }

    [Fact]
    public void A_degraded_pool_whose_writes_fail_is_failed_and_comes_back_degraded()
    {
        var (state, signals) = Run(new StateRead("DEGRADED"), Ok, new ProbeFailed("write failed: EIO"), Ok);
        Assert.Equal(PoolHealth.Degraded, state.Health);
        Assert.Equal([PoolEvents.Degraded, PoolEvents.Failed, PoolEvents.Recovered, PoolEvents.Degraded], signals.Select(s => s.Type));
    }

    [Fact]
    public void An_unmounted_pool_is_not_probeable_not_failed()
    {
        var (state, signals) = Run(new StateRead("ONLINE"), new NotMounted("not mounted (mountpoint /tank)"), new NotMounted("not mounted (mountpoint /tank)"));
        Assert.Equal(PoolHealth.NotProbeable, state.Health);
        var signal = Assert.Single(signals);
        Assert.Equal(PoolEvents.NotProbeable, signal.Type);
        Assert.Equal(Severity.Info, signal.Severity);
        Assert.Equal("not mounted (mountpoint /tank)", signal.Reason);

        var mounted = state.Apply(Ok, T0.AddMinutes(5));
        Assert.Equal(PoolHealth.Healthy, mounted.State.Health);
        Assert.Empty(mounted.Signals);
    }

    [Fact]
    public void A_state_read_alone_concludes_nothing()
    {
        var (state, signals) = Run(new StateRead("ONLINE"));
        Assert.Equal(PoolHealth.Unknown, state.Health);
        Assert.Empty(signals);
    }

    [Fact]
    public void Resuming_from_a_failed_state_does_not_fail_again()
    {
        var (failed, _) = Run(Ok, new ProbeHung(TimeSpan.FromSeconds(10)));
        var (state, signals) = Run(failed, new ProbeHung(TimeSpan.FromSeconds(10)), new ProbeFailed("write failed"));
        Assert.Equal(PoolHealth.Failed, state.Health);
        Assert.Empty(signals);
    }

    [Fact]
    public void A_fresh_heartbeat_states_the_first_healthy_judgement_once()
    {
        var (state, signals) = Run(PoolHeartbeatState.Initial, new StateRead("ONLINE"), Ok, Ok, new StateRead("ONLINE"), Ok);
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Equal([PoolEvents.Healthy, PoolEvents.Clean], signals.Select(s => s.Type));
        var healthy = signals[0];
        Assert.Equal((PoolEvents.Healthy, Severity.Resolved), (healthy.Type, healthy.Severity));
        Assert.Equal("healthy at the first probe since start", healthy.Reason);
        Assert.True(state.HealthStated);
    }

    [Fact]
    public void A_fresh_heartbeat_states_health_when_the_pool_is_first_mounted()
    {
        var (state, signals) = Run(PoolHeartbeatState.Initial, new NotMounted("not mounted"), Ok, new NotMounted("not mounted"), Ok);
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Equal([PoolEvents.NotProbeable, PoolEvents.Healthy, PoolEvents.Clean, PoolEvents.NotProbeable], signals.Select(s => s.Type));
    }

    [Fact]
    public void A_fresh_heartbeat_that_sees_a_failure_first_recovers_without_a_separate_healthy_statement()
    {
        var (state, signals) = Run(PoolHeartbeatState.Initial, new ProbeFailed("write failed: EIO"), Ok, new StateRead("DEGRADED"), new StateRead("ONLINE"));
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Equal([PoolEvents.Failed, PoolEvents.Recovered, PoolEvents.Clean, PoolEvents.Degraded, PoolEvents.Recovered], signals.Select(s => s.Type));
    }

    [Fact]
    public void A_fresh_heartbeat_that_finds_the_pool_failed_or_degraded_states_no_health()
    {
        // The probe path is clean all the same: that is stated.
        Assert.Equal([PoolEvents.Failed, PoolEvents.Clean], Run(PoolHeartbeatState.Initial, new StateRead("SUSPENDED"), Ok).Signals.Select(s => s.Type));
        Assert.Equal([PoolEvents.Degraded, PoolEvents.Clean], Run(PoolHeartbeatState.Initial, new StateRead("DEGRADED"), Ok).Signals.Select(s => s.Type));
    }

    [Fact]
    public void A_heartbeat_resumed_from_a_state_that_stated_health_does_not_state_it_again()
    {
        var (healthy, first) = Run(PoolHeartbeatState.Initial, Ok);
        Assert.Equal([PoolEvents.Healthy, PoolEvents.Clean], first.Select(s => s.Type));
        // The keeper hands this state to the restarted heartbeat; it goes through NotMounted and back.
        var (state, signals) = Run(healthy, Ok, new NotMounted("not mounted"), Ok);
        Assert.Equal(PoolHealth.Healthy, state.Health);
        Assert.Equal([PoolEvents.NotProbeable], signals.Select(s => s.Type));
    }

    private static readonly ProbeTampered Link = new("/tank/.dplaneos", "/tank/.dplaneos is a symbolic link to /etc");

    [Fact]
    public void A_tampered_probe_path_is_one_warning_naming_the_path_never_a_failure()
    {
        var (state, signals) = Run(new StateRead("ONLINE"), Ok, Link, Link, Link, new StateRead("ONLINE"), Link);
        var tampered = Assert.Single(signals);
        Assert.Equal((PoolEvents.Tampered, Severity.Warning, "/tank/.dplaneos"), (tampered.Type, tampered.Severity, tampered.Path));
        Assert.Equal("/tank/.dplaneos is a symbolic link to /etc", tampered.Reason);
        Assert.Equal((PoolHealth.Unknown, ProbeCondition.Tampered), (state.Health, state.Probe));
        Assert.Equal("not probed: /tank/.dplaneos is a symbolic link to /etc", state.Reason);
        Assert.Equal("/tank/.dplaneos", state.TamperedPath);
        Assert.Equal(T0.AddSeconds(30), state.LastSuccessAt);
        Assert.Equal(T0.AddSeconds(180), state.LastProbeAt);
    }

    [Fact]
    public void The_next_clean_probe_ends_the_episode_once_and_states_nothing_about_health()
    {
        var (state, signals) = Run(Ok, Link, Link, Ok, Ok, Link);
        Assert.Equal([PoolEvents.Tampered, PoolEvents.Clean, PoolEvents.Tampered], signals.Select(s => s.Type));
        var clean = signals[1];
        Assert.Equal((Severity.Resolved, "/tank/.dplaneos"), (clean.Severity, clean.Path));
        Assert.Contains("/tank/.dplaneos is no longer in the way", clean.Reason);
        Assert.Equal("/tank/.dplaneos", state.TamperedPath);

        var (cleanAgain, after) = Run(state, Ok);
        Assert.Equal(PoolHealth.Healthy, cleanAgain.Health);
        Assert.Null(cleanAgain.TamperedPath);
        Assert.Equal([PoolEvents.Clean], after.Select(s => s.Type));
    }

    [Fact]
    public void Another_tampered_path_is_another_warning()
    {
        var file = new ProbeTampered("/tank/.dplaneos/heartbeat", "/tank/.dplaneos/heartbeat is a FIFO, not a regular file");
        var (_, signals) = Run(Ok, Link, file, file);
        Assert.Equal([("heartbeat.tampered", "/tank/.dplaneos"), ("heartbeat.tampered", "/tank/.dplaneos/heartbeat")], signals.Select(s => (s.Type, s.Path!)));
    }

    [Fact]
    public void Tampering_neither_opens_nor_closes_a_failure_window()
    {
        var (failed, signals) = Run(Ok, new ProbeFailed("write failed: EIO"), Link, new StateRead("ONLINE"), Link);
        Assert.Equal([PoolEvents.Failed, PoolEvents.Tampered], signals.Select(s => s.Type));
        Assert.Equal(PoolHealth.Failed, failed.Health);

        var (recovered, after) = Run(failed, Ok);
        Assert.Equal(PoolHealth.Healthy, recovered.Health);
        Assert.Equal([PoolEvents.Recovered, PoolEvents.Clean], after.Select(s => s.Type));
    }

    [Fact]
    public void Zpool_states_still_count_while_the_probe_path_is_tampered()
    {
        var (state, signals) = Run(Ok, Link, new StateRead("DEGRADED"), Link, new StateRead("SUSPENDED"));
        Assert.Equal([PoolEvents.Tampered, PoolEvents.Degraded, PoolEvents.Failed], signals.Select(s => s.Type));
        Assert.Equal(PoolHealth.Failed, state.Health);
    }

    [Fact]
    public void A_fresh_heartbeat_that_finds_its_path_tampered_warns_then_states_both_once_clean()
    {
        var (tampered, first) = Run(PoolHeartbeatState.Initial, new StateRead("ONLINE"), Link, Link);
        Assert.Equal([PoolEvents.Tampered], first.Select(s => s.Type));
        Assert.Equal(PoolHealth.Unknown, tampered.Health);

        var (state, signals) = Run(tampered, Ok, Ok);
        Assert.Equal([PoolEvents.Healthy, PoolEvents.Clean], signals.Select(s => s.Type));
        Assert.Equal("/tank/.dplaneos", signals[1].Path);
        Assert.True(state.PathStated);
    }
}
