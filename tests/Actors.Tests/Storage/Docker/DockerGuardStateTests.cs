using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Actors.Storage.Docker;
using static DPlaneOS.Actors.Storage.Docker.DockerGuardEffect;

namespace DPlaneOS.Actors.Tests.Storage.Docker;

/// <summary>The Docker guard's decisions, without an actor system.</summary>
public sealed class DockerGuardStateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<string> TankMounts = ["/tank"];
    private static readonly ContainerRef Nextcloud = new("c1", "nextcloud");
    private static readonly ContainerRef Media = new("c2", "media");

    private static DockerOptions Options(bool restart = false, int maxAttempts = 3) => new()
    {
        RestartOnRecovery = restart,
        MaxAttempts = maxAttempts,
        RetryMinBackoff = TimeSpan.FromSeconds(1),
        RetryMaxBackoff = TimeSpan.FromSeconds(3),
    };

    private static DockerOperationResult Done(params ContainerRef[] containers) => new(null, containers, []);

    private static readonly DockerOperationResult Refused = DockerOperationResult.Unreachable("Connection refused");

    private static IEnumerable<Publish> Published(DockerGuardDecision decision) => decision.Effects.OfType<Publish>();

    /// <summary>The state with tank's window open (c1, c2 stopped).</summary>
    private static DockerGuardState WindowOpen(DockerOptions options)
    {
        var state = DockerGuardState.Empty.Decide(new DockerGuardInput.PoolFailed("tank", TankMounts), T0, options).State;
        return state.Decide(new DockerGuardInput.StopFinished("tank", Done(Nextcloud, Media)), T0, options).State;
    }

    [Fact]
    public void A_failure_stops_the_pools_containers_and_the_finished_stop_opens_a_journalled_window()
    {
        var options = Options();
        var failed = DockerGuardState.Empty.Decide(new DockerGuardInput.PoolFailed("tank", TankMounts), T0, options);
        Assert.Equal([new StopContainers("tank", 1, TankMounts)], failed.Effects);
        Assert.Equal(DockerAction.Stop, failed.State.Pending["tank"].Action);

        var stopped = failed.State.Decide(new DockerGuardInput.StopFinished("tank", Done(Nextcloud, Media)), T0, options);
        var record = Assert.IsType<ContainersStopped>(Assert.IsType<Persist>(stopped.Effects[0]).Record);
        Assert.Equal(("tank", DockerStopMode.Pool, T0), (record.Pool, record.Mode, record.At));
        Assert.Equal([Nextcloud, Media], record.Stopped);
        var published = Assert.Single(Published(stopped));
        Assert.Equal((DockerEvents.Stopped, Severity.Warning, "c1,c2", "/tank"),
            (published.Type, published.Severity, published.Data[DockerEvents.IdsKey], published.Data[PoolEvents.MountpointsKey]));
        Assert.Empty(stopped.State.Pending);
        Assert.Equal([Nextcloud, Media], stopped.State.OpenWindows["tank"].Stopped);
    }

    [Fact]
    public void Failing_again_within_the_window_stops_nothing()
    {
        var options = Options();
        var again = WindowOpen(options).Decide(new DockerGuardInput.PoolFailed("tank", TankMounts), T0, options);
        Assert.IsType<Log>(Assert.Single(again.Effects));
        Assert.Empty(again.State.Pending);
    }

    [Fact]
    public void Recovery_closes_the_window_and_lists_the_containers_or_starts_them()
    {
        var listed = WindowOpen(Options()).Decide(new DockerGuardInput.PoolRecovered("tank"), T0, Options());
        Assert.IsType<FailureWindowClosed>(Assert.IsType<Persist>(listed.Effects[0]).Record);
        var restartable = Assert.Single(Published(listed));
        Assert.Equal((DockerEvents.Restartable, Severity.Resolved, "c1,c2"), (restartable.Type, restartable.Severity, restartable.Data[DockerEvents.IdsKey]));
        Assert.Empty(listed.State.OpenWindows);

        var restart = Options(restart: true);
        var starting = WindowOpen(restart).Decide(new DockerGuardInput.PoolRecovered("tank"), T0, restart);
        var start = Assert.IsType<StartContainers>(Assert.Single(starting.Effects));
        Assert.Equal(("tank", 1), (start.Pool, start.Attempt));
        Assert.Equal([Nextcloud, Media], start.Containers);
        var started = starting.State.Decide(new DockerGuardInput.StartFinished("tank", Done(Nextcloud, Media)), T0, restart);
        Assert.IsType<FailureWindowClosed>(Assert.IsType<Persist>(started.Effects[0]).Record);
        Assert.Equal(DockerEvents.Restarted, Assert.Single(Published(started)).Type);
        Assert.Empty(started.State.OpenWindows);
        Assert.Empty(started.State.Pending);
    }

    [Fact]
    public void An_unreachable_docker_is_retried_with_capped_backoff_warned_about_first_and_last()
    {
        var options = Options(maxAttempts: 4);
        var state = DockerGuardState.Empty.Decide(new DockerGuardInput.PoolFailed("tank", TankMounts), T0, options).State;
        var warnings = new List<Publish>();
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var decision = state.Decide(new DockerGuardInput.StopFinished("tank", Refused), T0, options);
            warnings.AddRange(Published(decision));
            delays.AddRange(decision.Effects.OfType<ScheduleRetry>().Select(r => r.Delay));
            state = decision.State;
            if (attempt < 4)
            {
                Assert.Equal(attempt + 1, state.Pending["tank"].Attempt);
                var retry = state.Decide(new DockerGuardInput.RetryDue("tank"), T0, options);
                Assert.Equal([new StopContainers("tank", attempt + 1, TankMounts)], retry.Effects);
                state = retry.State;
            }
        }
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], delays);
        Assert.Equal([("1", "false"), ("4", "true")], warnings.Select(w => (w.Data[DockerEvents.AttemptKey], w.Data[DockerEvents.GaveUpKey])));
        Assert.All(warnings, w => Assert.Equal(DockerEvents.Unreachable, w.Type));
        Assert.Empty(state.Pending);
        Assert.Contains("tank", state.UnreachableReported);

        // The next stop Docker answers ends the warning before it says what it stopped.
        state = state.Decide(new DockerGuardInput.PoolFailed("tank", TankMounts), T0, options).State;
        var answered = state.Decide(new DockerGuardInput.StopFinished("tank", Done(Nextcloud)), T0, options);
        Assert.Equal([DockerEvents.Reachable, DockerEvents.Stopped], Published(answered).Select(p => p.Type));
        Assert.Empty(answered.State.UnreachableReported);
    }

    [Fact]
    public void A_retry_for_a_pool_that_recovered_meanwhile_does_nothing()
    {
        var options = Options();
        var state = DockerGuardState.Empty.Decide(new DockerGuardInput.PoolFailed("tank", TankMounts), T0, options).State;
        state = state.Decide(new DockerGuardInput.StopFinished("tank", Refused), T0, options).State;
        state = state.Decide(new DockerGuardInput.PoolRecovered("tank"), T0, options).State;
        var retry = state.Decide(new DockerGuardInput.RetryDue("tank"), T0, options);
        Assert.Empty(retry.Effects);
        Assert.Empty(retry.State.Pending);
        Assert.Empty(retry.State.OpenWindows);

        Assert.Empty(DockerGuardState.Empty.Decide(new DockerGuardInput.RetryDue("tank"), T0, options).Effects);
    }

    [Fact]
    public void A_recovery_during_the_stop_closes_the_window_right_after_it_opens()
    {
        var options = Options();
        var state = DockerGuardState.Empty.Decide(new DockerGuardInput.PoolFailed("tank", TankMounts), T0, options).State;
        state = state.Decide(new DockerGuardInput.PoolRecovered("tank"), T0, options).State;
        var finished = state.Decide(new DockerGuardInput.StopFinished("tank", Done(Nextcloud)), T0, options);
        Assert.Equal([typeof(ContainersStopped), typeof(FailureWindowClosed)], finished.Effects.OfType<Persist>().Select(p => p.Record.GetType()));
        Assert.Equal([DockerEvents.Stopped, DockerEvents.Restartable], Published(finished).Select(p => p.Type));
        Assert.Empty(finished.State.OpenWindows);
    }

    [Fact]
    public void A_failure_during_the_restart_stops_again_once_the_window_closed()
    {
        var options = Options(restart: true);
        var state = WindowOpen(options).Decide(new DockerGuardInput.PoolRecovered("tank"), T0, options).State;
        state = state.Decide(new DockerGuardInput.PoolFailed("tank", ["/tank", "/srv"]), T0, options).State;
        var started = state.Decide(new DockerGuardInput.StartFinished("tank", Done(Nextcloud, Media)), T0, options);
        Assert.IsType<Persist>(started.Effects[0]);
        var stop = Assert.IsType<StopContainers>(started.Effects[^1]);
        Assert.Equal(("tank", 1), (stop.Pool, stop.Attempt));
        Assert.Equal(["/tank", "/srv"], stop.Mountpoints);
        Assert.Empty(started.State.OpenWindows);
        Assert.Equal(DockerAction.Stop, started.State.Pending["tank"].Action);
    }

    [Fact]
    public void Giving_up_a_restart_lists_the_containers_then_warns()
    {
        var options = Options(restart: true, maxAttempts: 1);
        var state = WindowOpen(options).Decide(new DockerGuardInput.PoolRecovered("tank"), T0, options).State;
        var gaveUp = state.Decide(new DockerGuardInput.StartFinished("tank", Refused), T0, options);
        Assert.Equal([DockerEvents.Restartable, DockerEvents.Unreachable], Published(gaveUp).Select(p => p.Type));
        Assert.Equal("true", Published(gaveUp).Last().Data[DockerEvents.GaveUpKey]);
        Assert.Empty(gaveUp.State.OpenWindows);
        Assert.Contains("tank", gaveUp.State.UnreachableReported);
    }

    [Fact]
    public void Only_this_nodes_pool_failures_and_recoveries_are_inputs()
    {
        var failed = MonitorEvent.Create(NodeIdentity.Named("nas1"), PoolEvents.Failed, Severity.Critical, "tank", T0,
            new Dictionary<string, string> { [PoolEvents.MountpointsKey] = "/tank" });
        var input = Assert.IsType<DockerGuardInput.PoolFailed>(DockerGuardInput.Of(failed, "nas1"));
        Assert.Equal("tank", input.Pool);
        Assert.Equal(["/tank"], input.Mountpoints);
        Assert.Null(DockerGuardInput.Of(failed, "nas2"));
        Assert.Equal(new DockerGuardInput.PoolRecovered("tank"), DockerGuardInput.Of(failed with { Type = PoolEvents.Healthy }, "nas1"));
        Assert.Equal(new DockerGuardInput.PoolRecovered("tank"), DockerGuardInput.Of(failed with { Type = PoolEvents.Recovered }, "nas1"));
        Assert.Null(DockerGuardInput.Of(failed with { Type = PoolEvents.Degraded }, "nas1"));
    }
}
