using CsCheck;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Storage.Docker;
using static DPlaneOS.Actors.Storage.Docker.DockerGuardEffect;

namespace DPlaneOS.Actors.Tests.Storage.Docker;

/// <summary>
/// Random histories of two pools failing and recovering while Docker answers or not, with the guard's
/// operations finishing and its retry timers firing (also late, after what they were for has ended) in
/// any order. The effects are checked against the guard's invariants.
/// </summary>
public sealed class DockerGuardStatePropertyTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Pools = ["tank", "backup"];

    private static readonly DockerContainer[] Containers =
    [
        new("c1", "nextcloud", ["/tank/apps"]),
        new("c2", "media", ["/tank", "/backup/media"]),
        new("c3", "db", ["/backup/db"]),
    ];

    private enum Kind
    {
        Fail,
        Recover,
        Answer,
        Refuse,
        FireTimer,
        FireStale,
    }

    private sealed record Step(Kind Kind, int Pool);

    private sealed record Setup(bool RestartOnRecovery, int MaxAttempts, DockerStopMode Mode, Step[] Steps);

    private static readonly Gen<Setup> Histories =
        Gen.Select(Gen.Bool, Gen.Int[1, 3], Gen.OneOf(DockerStopMode.Pool, DockerStopMode.All),
            Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 1], (kind, pool) => new Step(kind, pool)).Array[1, 80],
            (restart, attempts, mode, steps) => new Setup(restart, attempts, mode, steps));

    /// <summary>The world around the state: Docker's containers, the operation in flight and the timer set per pool.</summary>
    private sealed class World(Setup setup)
    {
        public DockerOptions Options { get; } = new()
        {
            RestartOnRecovery = setup.RestartOnRecovery,
            MaxAttempts = setup.MaxAttempts,
            StopMode = setup.Mode,
        };

        public DockerGuardState State { get; set; } = DockerGuardState.Empty;
        public HashSet<string> Running { get; } = Containers.Select(c => c.Id).ToHashSet();
        public Dictionary<string, DockerGuardEffect> InFlight { get; } = [];
        public HashSet<string> Timers { get; } = [];
        public Dictionary<string, bool> WindowOpen { get; } = Pools.ToDictionary(p => p, _ => false);
        public Dictionary<string, HashSet<string>> StoppedInWindow { get; } = Pools.ToDictionary(p => p, _ => new HashSet<string>());
        public Dictionary<string, int> FirstWarnings { get; } = Pools.ToDictionary(p => p, _ => 0);
        public Dictionary<string, int> GiveUps { get; } = Pools.ToDictionary(p => p, _ => 0);
        public HashSet<string> Reported { get; } = [];
    }

    private static void Run(Setup setup)
    {
        var world = new World(setup);
        foreach (var step in setup.Steps)
        {
            var pool = Pools[step.Pool];
            DockerGuardInput? input = step.Kind switch
            {
                Kind.Fail => new DockerGuardInput.PoolFailed(pool, [$"/{pool}"]),
                Kind.Recover => new DockerGuardInput.PoolRecovered(pool),
                Kind.Answer when world.InFlight.Remove(pool, out var operation) => Answer(world, operation),
                Kind.Refuse when world.InFlight.Remove(pool, out var operation) => operation is StopContainers
                    ? new DockerGuardInput.StopFinished(pool, DockerOperationResult.Unreachable("refused"))
                    : new DockerGuardInput.StartFinished(pool, DockerOperationResult.Unreachable("refused")),
                Kind.FireTimer when world.Timers.Remove(pool) => new DockerGuardInput.RetryDue(pool),
                // A retry for a pool with nothing pending (Akka drops a cancelled timer's message; the state must not need that).
                Kind.FireStale when !world.State.Pending.ContainsKey(pool) => new DockerGuardInput.RetryDue(pool),
                _ => null,
            };
            if (input is not null) Take(world, input);
        }
    }

    private static DockerGuardInput Answer(World world, DockerGuardEffect operation)
    {
        switch (operation)
        {
            case StopContainers stop:
                var affected = ContainerSelection.Affected(Containers.Where(c => world.Running.Contains(c.Id)), world.Options.StopMode, stop.Mountpoints);
                foreach (var container in affected) world.Running.Remove(container.Id);
                return new DockerGuardInput.StopFinished(stop.Pool, new DockerOperationResult(null, affected.Select(c => new ContainerRef(c.Id, c.Name)).ToList(), []));
            case StartContainers start:
                foreach (var container in start.Containers) world.Running.Add(container.Id);
                return new DockerGuardInput.StartFinished(start.Pool, new DockerOperationResult(null, start.Containers, []));
            default:
                throw new InvalidOperationException($"not an operation: {operation}");
        }
    }

    private static void Take(World world, DockerGuardInput input)
    {
        var before = world.State;
        var decision = before.Decide(input, T0, world.Options);
        world.State = decision.State;

        // A retry never runs for a pool with nothing pending: a late timer changes nothing.
        if (input is DockerGuardInput.RetryDue due && !before.Pending.ContainsKey(due.Pool))
        {
            Assert.Empty(decision.Effects);
            Assert.Same(before, decision.State);
        }

        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case StopContainers or StartContainers:
                    var pool = effect is StopContainers s ? s.Pool : ((StartContainers)effect).Pool;
                    // One operation per pool at a time, and only for a pool the state has pending.
                    Assert.False(world.InFlight.ContainsKey(pool), $"second operation for {pool}");
                    Assert.True(decision.State.Pending.ContainsKey(pool));
                    // Within a failure window nothing is stopped again.
                    if (effect is StopContainers) Assert.False(world.WindowOpen[pool], $"stop within {pool}'s open window");
                    if (effect is StopContainers { Attempt: 1 } or StartContainers { Attempt: 1 })
                    {
                        world.FirstWarnings[pool] = 0;
                        world.GiveUps[pool] = 0;
                    }
                    world.InFlight[pool] = effect;
                    break;
                case ScheduleRetry retry:
                    Assert.True(decision.State.Pending.ContainsKey(retry.Pool), $"retry scheduled for {retry.Pool} with nothing pending");
                    Assert.True(retry.Delay > TimeSpan.Zero && retry.Delay <= world.Options.RetryMaxBackoff);
                    world.Timers.Add(retry.Pool);
                    break;
                case Persist { Record: ContainersStopped stopped }:
                    Assert.False(world.WindowOpen[stopped.Pool], $"{stopped.Pool}'s window opened twice");
                    world.WindowOpen[stopped.Pool] = true;
                    foreach (var container in stopped.Stopped)
                        Assert.True(world.StoppedInWindow[stopped.Pool].Add(container.Id), $"{container.Id} stopped twice in one window");
                    break;
                case Persist { Record: FailureWindowClosed closed }:
                    Assert.True(world.WindowOpen[closed.Pool], $"{closed.Pool}'s window closed without being open");
                    world.WindowOpen[closed.Pool] = false;
                    world.StoppedInWindow[closed.Pool].Clear();
                    // Closing resolves an unreachable warning too.
                    world.Reported.Remove(closed.Pool);
                    break;
                case Publish { Type: DockerEvents.Unreachable } warning:
                    var key = warning.Data[DockerEvents.GaveUpKey] == "true" ? world.GiveUps : world.FirstWarnings;
                    key[warning.Pool]++;
                    Assert.True(key[warning.Pool] <= 1, $"unreachable ({warning.Data[DockerEvents.GaveUpKey]}) reported twice for one operation on {warning.Pool}");
                    world.Reported.Add(warning.Pool);
                    break;
                case Publish { Type: DockerEvents.Reachable } reachable:
                    Assert.True(world.Reported.Remove(reachable.Pool), $"reachable for {reachable.Pool} without an unresolved unreachable");
                    break;
            }
        }
        Assert.Equal(world.WindowOpen.Where(w => w.Value).Select(w => w.Key).Order(), world.State.OpenWindows.Keys.Order());
        Assert.Equal(world.Reported.Order(), world.State.UnreachableReported.Order());
    }

    [Fact]
    public void The_guards_invariants_hold_for_any_history() =>
        Histories.Sample(Run, iter: 2000);
}
