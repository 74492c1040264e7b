using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Actors.Tests.Storage.Docker;

public sealed class DockerGuardTests : VirtualTimeTestKit
{
    private static readonly NodeIdentity Node = NodeIdentity.Named("nas1");
    private readonly FakeDockerEngine _docker = new();

    public DockerGuardTests()
    {
        _docker.Run("c1", "nextcloud", "/tank/apps/nextcloud");
        _docker.Run("c2", "media", "/srv/media", "/tank");
        _docker.Run("c3", "other", "/backup/db");
        _docker.Run("c4", "lookalike", "/tankette/data");
        _docker.Run("c5", "nomounts");
    }

    private IActorRef StartGuard(Action<DockerOptions>? configure = null, string name = "docker", IDockerEngine? engine = null)
    {
        var options = new DockerOptions();
        configure?.Invoke(options);
        var docker = engine ?? _docker;
        return Sys.ActorOf(Props.Create(() => new DockerGuard(options, Node, docker, TimeProvider.System)), name);
    }

    private static MonitorEvent PoolEvent(string type, string pool, params string[] mountpoints) =>
        MonitorEvent.Create(Node, type, type == PoolEvents.Failed ? Severity.Critical : Severity.Resolved, pool, DateTimeOffset.UtcNow,
            new Dictionary<string, string> { [PoolEvents.MountpointsKey] = string.Join('\n', mountpoints) });

    private DockerGuard.Protocol.Windows Status(IActorRef guard)
    {
        var probe = CreateTestProbe();
        guard.Tell(DockerGuard.Protocol.GetWindows.Instance, probe.Ref);
        return probe.ExpectMsg<DockerGuard.Protocol.Windows>();
    }

    private IReadOnlyList<FailureWindow> Windows(IActorRef guard) => Status(guard).Open;

    /// <summary>Waits until attempt <paramref name="attempt"/> is scheduled, then checks it comes exactly after <paramref name="backoff"/>.</summary>
    private void ExpectRetryAfter(IActorRef guard, int attempt, TimeSpan backoff)
    {
        AwaitCondition(() => Status(guard).Running.SingleOrDefault()?.Attempt == attempt);
        var calls = _docker.ListCalls;
        Scheduler.Advance(backoff - TimeSpan.FromMilliseconds(1));
        // A timer due by now was told to the guard during the advance, so it is handled before this query,
        // and a retry lists the containers while it is handled: the answer proves no retry ran early.
        Status(guard);
        Assert.Equal(calls, _docker.ListCalls);
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));
        AwaitCondition(() => _docker.ListCalls == calls + 1);
    }

    [Fact]
    public void Pool_mode_stops_only_containers_with_mounts_under_the_pools_mountpoints_once_per_failure_window()
    {
        var events = MonitorProbe();
        var guard = StartGuard();
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank", "/srv/media"));

        var stopped = ExpectEvent(events, DockerEvents.Stopped);
        Assert.Equal(Severity.Warning, stopped.Severity);
        Assert.Equal("tank", stopped.Subject);
        Assert.Equal("c1,c2", stopped.Data[DockerEvents.IdsKey]);
        Assert.Equal("nextcloud,media", stopped.Data[DockerEvents.NamesKey]);
        Assert.Equal("2", stopped.Data[DockerEvents.CountKey]);
        Assert.Equal("pool", stopped.Data[DockerEvents.ModeKey]);
        Assert.Equal(["c1", "c2"], _docker.Stops.Order());
        Assert.True(_docker.IsRunning("c3") && _docker.IsRunning("c4") && _docker.IsRunning("c5"));

        // Failing again in the same window (another probe, a restarted heartbeat): nothing more is stopped.
        _docker.Run("c6", "started-by-hand", "/tank/x");
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(2, _docker.Stops.Count);
        Assert.Equal(["c1", "c2"], Windows(guard).Single().Stopped.Select(c => c.Id));

        // A new window after recovery stops again.
        guard.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        ExpectEvent(events, DockerEvents.Restartable);
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        Assert.Equal("c6", ExpectEvent(events, DockerEvents.Stopped).Data[DockerEvents.IdsKey]);
    }

    [Fact]
    public void A_pool_never_seen_mounted_stops_nothing_in_pool_mode_and_says_why()
    {
        var events = MonitorProbe();
        var guard = StartGuard();
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank"));
        var stopped = ExpectEvent(events, DockerEvents.Stopped);
        Assert.Equal(Severity.Warning, stopped.Severity);
        Assert.Equal("0", stopped.Data[DockerEvents.CountKey]);
        Assert.Contains("mountpoints are unknown", stopped.Data[DockerEvents.ErrorKey]);
        Assert.Empty(_docker.Stops);
    }

    [Fact]
    public void All_mode_stops_every_running_container()
    {
        var events = MonitorProbe();
        var guard = StartGuard(o => o.StopMode = DockerStopMode.All);
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        var stopped = ExpectEvent(events, DockerEvents.Stopped);
        Assert.Equal("c1,c2,c3,c4,c5", stopped.Data[DockerEvents.IdsKey]);
        Assert.Equal("all", stopped.Data[DockerEvents.ModeKey]);
        Assert.Equal(5, _docker.Stops.Count);
    }

    [Fact]
    public void Without_restart_on_recovery_the_stopped_containers_are_listed_as_restartable_and_left_stopped()
    {
        var events = MonitorProbe();
        var guard = StartGuard();
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        ExpectEvent(events, DockerEvents.Stopped);

        guard.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        var restartable = ExpectEvent(events, DockerEvents.Restartable, DockerEvents.Restarted);
        Assert.Equal(DockerEvents.Restartable, restartable.Type);
        // A resolution: the router ends the docker.stopped alert with it.
        Assert.Equal(Severity.Resolved, restartable.Severity);
        Assert.Equal("tank", restartable.Subject);
        Assert.Equal("c1,c2", restartable.Data[DockerEvents.IdsKey]);
        Assert.Equal("nextcloud,media", restartable.Data[DockerEvents.NamesKey]);
        Assert.Empty(_docker.Starts);
        Assert.False(_docker.IsRunning("c1"));
        Assert.Empty(Windows(guard));
    }

    [Fact]
    public void With_restart_on_recovery_the_stopped_containers_are_started_again()
    {
        var events = MonitorProbe();
        var guard = StartGuard(o => o.RestartOnRecovery = true);
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        ExpectEvent(events, DockerEvents.Stopped);

        guard.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        var restarted = ExpectEvent(events, DockerEvents.Restarted, DockerEvents.Restartable);
        Assert.Equal(DockerEvents.Restarted, restarted.Type);
        Assert.Equal((Severity.Resolved, "tank"), (restarted.Severity, restarted.Subject));
        Assert.Equal("c1,c2", restarted.Data[DockerEvents.IdsKey]);
        Assert.Equal(["c1", "c2"], _docker.Starts.Order());
        Assert.True(_docker.IsRunning("c1") && _docker.IsRunning("c2"));
        Assert.Empty(Windows(guard));
    }

    [Fact]
    public void An_unreachable_docker_is_a_warning_and_a_bounded_retry_with_backoff_never_a_crash()
    {
        var events = MonitorProbe();
        _docker.Unreachable = true;
        var guard = StartGuard(o =>
        {
            o.MaxAttempts = 4;
            o.RetryMinBackoff = TimeSpan.FromSeconds(1);
            o.RetryMaxBackoff = TimeSpan.FromSeconds(3);
        });
        Watch(guard);
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));

        var first = ExpectEvent(events, DockerEvents.Unreachable);
        Assert.Equal(Severity.Warning, first.Severity);
        Assert.Equal("1", first.Data[DockerEvents.AttemptKey]);
        Assert.Equal("false", first.Data[DockerEvents.GaveUpKey]);
        Assert.Contains("Connection refused", first.Data[DockerEvents.ErrorKey]);
        AwaitCondition(() => _docker.ListCalls == 1);

        // Backoff 1 s, 2 s, then capped at 3 s.
        ExpectRetryAfter(guard, 2, TimeSpan.FromSeconds(1));
        ExpectRetryAfter(guard, 3, TimeSpan.FromSeconds(2));
        ExpectRetryAfter(guard, 4, TimeSpan.FromSeconds(3));

        var gaveUp = ExpectEvent(events, DockerEvents.Unreachable);
        Assert.Equal("4", gaveUp.Data[DockerEvents.AttemptKey]);
        Assert.Equal("true", gaveUp.Data[DockerEvents.GaveUpKey]);
        Assert.Empty(Status(guard).Running);
        Scheduler.Advance(TimeSpan.FromMinutes(10));
        Status(guard); // handled after anything the advance fired (see ExpectRetryAfter)
        Assert.Equal(4, _docker.ListCalls);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Still alive and still guarding: the next failure window tries again. Docker answering ends the
        // unreachable warning first, so that resolution cannot end the docker.stopped that follows.
        _docker.Unreachable = false;
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        var reachable = ExpectEvent(events, DockerEvents.Reachable, DockerEvents.Stopped);
        Assert.Equal((DockerEvents.Reachable, Severity.Resolved, "tank"), (reachable.Type, reachable.Severity, reachable.Subject));
        Assert.Equal("c1,c2", ExpectEvent(events, DockerEvents.Stopped).Data[DockerEvents.IdsKey]);

        // Reported once: the next window's stop says nothing about reachability.
        guard.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        ExpectEvent(events, DockerEvents.Restartable);
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        Assert.Equal(DockerEvents.Stopped, ExpectEvent(events, DockerEvents.Reachable, DockerEvents.Stopped).Type);
    }

    [Fact]
    public void A_pool_that_recovers_while_docker_is_unreachable_stops_nothing_later()
    {
        var events = MonitorProbe();
        _docker.Unreachable = true;
        var guard = StartGuard();
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        ExpectEvent(events, DockerEvents.Unreachable);
        guard.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        _docker.Unreachable = false;
        Scheduler.Advance(TimeSpan.FromMinutes(5));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_docker.Stops);
        Assert.Empty(Windows(guard));
    }

    [Fact]
    public void Another_nodes_pool_failure_stops_nothing_here()
    {
        var events = MonitorProbe();
        var guard = StartGuard();
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank") with { Node = "other-appliance" });
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_docker.Stops);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_journalled_window_is_closed_by_the_first_healthy_probe_after_a_restart(bool restartOnRecovery)
    {
        var events = MonitorProbe();
        var guard = StartGuard(o => o.RestartOnRecovery = restartOnRecovery, name: "docker-before");
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        ExpectEvent(events, DockerEvents.Stopped);
        Watch(guard);
        Sys.Stop(guard);
        ExpectTerminated(guard);

        // The daemon restarted; the pool is fine now and its fresh heartbeat says pool.healthy (not pool.recovered).
        var again = StartGuard(o => o.RestartOnRecovery = restartOnRecovery, name: "docker-after");
        Assert.Single(Windows(again));
        again.Tell(PoolEvent(PoolEvents.Healthy, "tank"));
        var closed = ExpectEvent(events, DockerEvents.Restarted, DockerEvents.Restartable);
        Assert.Equal(restartOnRecovery ? DockerEvents.Restarted : DockerEvents.Restartable, closed.Type);
        Assert.Equal((Severity.Resolved, "tank", "c1,c2"), (closed.Severity, closed.Subject, closed.Data[DockerEvents.IdsKey]));
        Assert.Equal(restartOnRecovery ? ["c1", "c2"] : [], _docker.Starts.Order());
        AwaitCondition(() => Windows(again).Count == 0);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Pool_healthy_without_an_open_window_does_nothing()
    {
        var events = MonitorProbe();
        var guard = StartGuard();
        guard.Tell(PoolEvent(PoolEvents.Healthy, "tank"));
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_docker.Starts);
        Assert.Empty(Windows(guard));
    }

    [Fact]
    public void A_window_in_which_nothing_was_stopped_still_resolves_its_warning()
    {
        var events = MonitorProbe();
        var guard = StartGuard();
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank"));
        Assert.Equal(Severity.Warning, ExpectEvent(events, DockerEvents.Stopped).Severity);
        guard.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        var closed = ExpectEvent(events, DockerEvents.WindowClosed, DockerEvents.Restartable, DockerEvents.Restarted);
        Assert.Equal((DockerEvents.WindowClosed, Severity.Resolved, "0"), (closed.Type, closed.Severity, closed.Data[DockerEvents.CountKey]));
        Assert.Empty(Windows(guard));
    }

    [Fact]
    public void Giving_up_a_restart_reports_unreachable_after_the_windows_resolution()
    {
        var events = MonitorProbe();
        var guard = StartGuard(o =>
        {
            o.RestartOnRecovery = true;
            o.MaxAttempts = 1;
        });
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        ExpectEvent(events, DockerEvents.Stopped);
        _docker.Unreachable = true;
        guard.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        // The resolution closes the window; the warning that follows is still true, so it must come last.
        var restartable = ExpectEvent(events, DockerEvents.Restartable, DockerEvents.Unreachable);
        Assert.Equal((DockerEvents.Restartable, Severity.Resolved), (restartable.Type, restartable.Severity));
        Assert.Contains("Connection refused", restartable.Data[DockerEvents.FailuresKey]);
        var unreachable = ExpectEvent(events, DockerEvents.Unreachable);
        Assert.Equal(("true", "start"), (unreachable.Data[DockerEvents.GaveUpKey], unreachable.Data[DockerEvents.ActionKey]));
    }

    [Fact]
    public void Open_windows_are_journalled_and_survive_a_restart_of_the_guard()
    {
        var events = MonitorProbe();
        var guard = StartGuard(name: "docker-a");
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        ExpectEvent(events, DockerEvents.Stopped);
        Watch(guard);
        Sys.Stop(guard);
        ExpectTerminated(guard);

        var again = StartGuard(name: "docker-b");
        var window = Windows(again).Single();
        Assert.Equal("tank", window.Pool);
        Assert.Equal(["nextcloud", "media"], window.Stopped.Select(c => c.Name));

        // The same window: a repeated pool.failed after the restart stops nothing; recovery lists them.
        again.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));
        again.Tell(PoolEvent(PoolEvents.Recovered, "tank"));
        var restartable = ExpectEvent(events, DockerEvents.Restartable, DockerEvents.Stopped);
        Assert.Equal(DockerEvents.Restartable, restartable.Type);
        Assert.Equal("c1,c2", restartable.Data[DockerEvents.IdsKey]);
        Assert.Equal(2, _docker.Stops.Count);
    }

    [Fact]
    public void A_faulted_docker_operation_is_an_unreachable_docker_and_a_retry_not_an_unhandled_failure()
    {
        var events = MonitorProbe();
        var unhandled = CreateTestProbe();
        Sys.EventStream.Subscribe(unhandled.Ref, typeof(UnhandledMessage));
        var guard = StartGuard(o => o.RetryMinBackoff = TimeSpan.FromSeconds(1), engine: new MalformedDockerEngine());
        Watch(guard);
        guard.Tell(PoolEvent(PoolEvents.Failed, "tank", "/tank"));

        // The operation's task faults (its engine answers with a container without mounts), past DockerOperations' catches.
        var unreachable = ExpectEvent(events, DockerEvents.Unreachable);
        Assert.Equal(("1", "false", "stop"), (unreachable.Data[DockerEvents.AttemptKey], unreachable.Data[DockerEvents.GaveUpKey], unreachable.Data[DockerEvents.ActionKey]));
        Assert.Contains(nameof(ArgumentNullException), unreachable.Data[DockerEvents.ErrorKey]);
        Assert.Equal(new DockerGuard.Protocol.Operation("tank", "stop", 2), Assert.Single(Status(guard).Running));
        unhandled.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Answers the list with a container whose mount list is missing, which no engine call's catch sees.</summary>
    private sealed class MalformedDockerEngine : IDockerEngine
    {
        public Task<IReadOnlyList<DockerContainer>> ListRunningAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DockerContainer>>([new DockerContainer("c1", "broken", null!)]);

        public Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public void Journal_records_round_trip_through_the_stable_name_serializer()
    {
        var stopped = new ContainersStopped("tank", DockerStopMode.Pool, [new ContainerRef("c1", "nextcloud")],
            [new ContainerFailure("c2", "media", "timeout")], DateTimeOffset.UtcNow);
        var serializer = Sys.Serialization.FindSerializerFor(stopped);
        Assert.IsType<DPlaneOS.Actors.Persistence.PersistedJsonSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, stopped);
        Assert.Equal("docker.containers-stopped.v1", manifest);
        var back = (ContainersStopped)Sys.Serialization.Deserialize(serializer.ToBinary(stopped), serializer.Identifier, manifest);
        Assert.Equal(stopped.Pool, back.Pool);
        Assert.Equal(stopped.Stopped, back.Stopped);
        Assert.Equal(stopped.NotStopped, back.NotStopped);

        var closed = new FailureWindowClosed("tank", [new ContainerRef("c1", "nextcloud")], [], DateTimeOffset.UtcNow);
        Assert.Equal("docker.window-closed.v1", Akka.Serialization.Serialization.ManifestFor(Sys.Serialization.FindSerializerFor(closed), closed));
    }
}
