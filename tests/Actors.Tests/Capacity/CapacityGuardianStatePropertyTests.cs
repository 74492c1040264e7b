using CsCheck;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using static DPlaneOS.Actors.Storage.Capacity.CapacityGuardianEffect;

namespace DPlaneOS.Actors.Tests.Capacity;

/// <summary>
/// Random histories of two pools filling and emptying (and going away, and zpool list failing) while reserve reads
/// and changes land late, fail, or find the reserve changed by hand, and requests come in at any time. Each decision
/// is checked against the guardian's invariants.
/// </summary>
public sealed class CapacityGuardianStatePropertyTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Pools = ["tank", "backup"];

    private enum Kind
    {
        Reading,
        FailedReading,
        ReadLands,
        OperationSucceeds,
        OperationFails,
        HandRelease,
        HandReserve,
        RequestReserve,
        RequestRelease,
    }

    /// <param name="Percents">Per pool: its used percent at a reading, or −1 when it is not listed.</param>
    private sealed record Step(Kind Kind, int Pool, int[] Percents);

    private sealed record Setup(bool Rearm, double Hysteresis, ReserveState[] OnDisk, Step[] Steps);

    private static readonly Gen<int> Percent = Gen.Frequency((1, Gen.Const(-1)), (3, Gen.Int[0, 100]), (4, Gen.Int[74, 100]));

    private static readonly Gen<Setup> Histories =
        Gen.Select(Gen.Bool, Gen.OneOf(Gen.Const(0.0), Gen.Const(2.0), Gen.Const(5.0)),
            Gen.OneOf(Gen.Const(ReserveState.None), Gen.Const(ReserveState.Reserved), Gen.Const(ReserveState.Released)).Array[Pools.Length],
            Gen.Select(Gen.Frequency((5, Gen.Const(Kind.Reading)), (1, Gen.Enum<Kind>()), (3, Gen.Const(Kind.ReadLands)), (3, Gen.Const(Kind.OperationSucceeds))),
                Gen.Int[0, Pools.Length - 1], Percent.Array[Pools.Length], (kind, pool, percents) => new Step(kind, pool, percents)).Array[1, 80],
            (rearm, hysteresis, onDisk, steps) => new Setup(rearm, hysteresis, onDisk, steps));

    /// <summary>The world around the state: the reserves on disk, the read and the change under way, the stash.</summary>
    private sealed class World(Setup setup)
    {
        public CapacityOptions Options { get; } = new() { RearmOnRecovery = setup.Rearm, Hysteresis = setup.Hysteresis };
        public CapacityGuardianState State { get; set; } = CapacityGuardianState.Empty;
        public Dictionary<string, ReserveState> OnDisk { get; } = Pools.Select((p, i) => (p, setup.OnDisk[i])).ToDictionary(x => x.p, x => x.Item2);
        public HashSet<string> Listed { get; } = [];
        /// <summary>The read under way: what it found (the disk when it was issued) and <see cref="Changes"/> then.</summary>
        public (ReadReserves Read, Dictionary<string, ReserveStatus> Found, int Changes)? ReadOut { get; set; }

        /// <summary>Reserve changes started or finished so far.</summary>
        public int Changes { get; set; }
        public RunOperation? Running { get; set; }
        public Queue<CapacityGuardianInput.Requested> Stashed { get; } = [];
        public int OpenRequests { get; set; }

        /// <summary>Pools with a recovery to ok (while listed) and no rise or re-arm since.</summary>
        public HashSet<string> Recovered { get; } = [];

        /// <summary>Pools whose automatic release failed since the last reading.</summary>
        public HashSet<string> ReleaseFailed { get; } = [];

        /// <summary>The automatic changes started per pool since the last reading.</summary>
        public Dictionary<string, HashSet<ReserveOperation>> AutomaticSinceReading { get; } = Pools.ToDictionary(p => p, _ => new HashSet<ReserveOperation>());
    }

    private static void Run(Setup setup)
    {
        var world = new World(setup);
        foreach (var step in setup.Steps)
        {
            var pool = Pools[step.Pool];
            CapacityGuardianInput? input = null;
            var stale = false;
            switch (step.Kind)
            {
                case Kind.Reading:
                    var listed = Pools.Select((p, i) => (p, step.Percents[i])).Where(x => x.Item2 >= 0).ToList();
                    world.Listed.Clear();
                    world.Listed.UnionWith(listed.Select(x => x.p));
                    input = CapacityGuardianStateTests.Listing([.. listed]);
                    break;
                case Kind.FailedReading:
                    input = new CapacityGuardianInput.Observed(T0, HostResult<IReadOnlyList<ZpoolListEntry>>.Fail(new CommandError(CommandErrorKind.TimedOut, "zpool list", "killed")));
                    break;
                case Kind.ReadLands when world.ReadOut is { } read:
                    world.ReadOut = null;
                    input = new CapacityGuardianInput.ReservesRead(read.Read.Version, read.Found);
                    // A read that began before a change ended (or while one ran) may be older than it: it is not taken.
                    if (read.Changes != world.Changes) stale = true;
                    break;
                case Kind.OperationSucceeds when world.Running is { } run:
                    world.Running = null;
                    world.Changes++;
                    input = new CapacityGuardianInput.OperationFinished(run.Operation, Carry(world, run));
                    break;
                case Kind.OperationFails when world.Running is { } run:
                    world.Running = null;
                    world.Changes++;
                    input = new CapacityGuardianInput.OperationFinished(run.Operation, ReserveOutcome.Failed(run.Pool, "permission denied"));
                    break;
                case Kind.HandRelease when world.OnDisk[pool] == ReserveState.Reserved:
                    world.OnDisk[pool] = ReserveState.Released;
                    break;
                case Kind.HandReserve:
                    world.OnDisk[pool] = ReserveState.Reserved;
                    break;
                case Kind.RequestReserve:
                    world.OpenRequests++;
                    input = new CapacityGuardianInput.Requested(ReserveOperation.Reserve, pool);
                    break;
                case Kind.RequestRelease:
                    world.OpenRequests++;
                    input = new CapacityGuardianInput.Requested(ReserveOperation.Release, pool);
                    break;
            }
            if (input is null) continue;
            var before = world.State;
            Take(world, input);
            if (stale) Assert.Same(before.Capacity.Reserves, world.State.Capacity.Reserves);
        }
        // Every request is answered, or waits behind the change under way.
        Assert.Equal(world.OpenRequests, world.Stashed.Count + (world.Running is { Operation: ReserveOperation.Reserve or ReserveOperation.Release } ? 1 : 0));
    }

    private static ReserveStatus Status(string pool, ReserveState state) => state switch
    {
        ReserveState.None => ReserveStatus.From(pool, null),
        ReserveState.Reserved => new ReserveStatus(ReserveState.Reserved, EmergencyReserve.DatasetOf(pool), 1000),
        _ => new ReserveStatus(ReserveState.Released, EmergencyReserve.DatasetOf(pool), 0),
    };

    /// <summary>What <see cref="EmergencyReserve"/> would do on disk, and its outcome.</summary>
    private static ReserveOutcome Carry(World world, RunOperation run)
    {
        var pool = run.Pool;
        var dataset = EmergencyReserve.DatasetOf(pool);
        if (!world.Listed.Contains(pool)) return new ReserveOutcome(ReserveOutcomeKind.PoolNotFound, pool, null, null, "no such pool");
        var current = world.OnDisk[pool];
        if (run.Operation is ReserveOperation.Reserve or ReserveOperation.Rearm)
        {
            if (current == ReserveState.Reserved) return new ReserveOutcome(ReserveOutcomeKind.AlreadyReserved, pool, dataset, 1000, "already");
            world.OnDisk[pool] = ReserveState.Reserved;
            return new ReserveOutcome(ReserveOutcomeKind.Done, pool, dataset, 1000, "reserved");
        }
        if (current != ReserveState.Reserved) return new ReserveOutcome(ReserveOutcomeKind.NotReserved, pool, dataset, null, "not reserved");
        world.OnDisk[pool] = ReserveState.Released;
        return new ReserveOutcome(ReserveOutcomeKind.Done, pool, dataset, 1000, "released");
    }

    private static void Take(World world, CapacityGuardianInput input)
    {
        var before = world.State;
        var decision = before.Decide(input, T0, world.Options);
        world.State = decision.State;
        var effects = decision.Effects;
        var thresholds = world.Options.Thresholds;

        // One change at a time: at most one per decision, never while one runs, and the state knows which.
        var runs = effects.OfType<RunOperation>().ToList();
        Assert.True(runs.Count <= 1, "two reserve changes started at once");
        if (runs.Count == 1)
        {
            world.Changes++;
            Assert.Null(world.Running);
            Assert.Equal(new RunningOperation(runs[0].Operation, runs[0].Pool), decision.State.Running);
        }
        else if (input is not CapacityGuardianInput.OperationFinished)
        {
            Assert.Equal(before.Running, decision.State.Running);
        }

        // An automatic change that found the reserve changed by hand is not tried again on the same (stale) knowledge.
        if (input is CapacityGuardianInput.OperationFinished { Operation: ReserveOperation.AutoRelease or ReserveOperation.Rearm, Outcome.Kind: ReserveOutcomeKind.NotReserved or ReserveOutcomeKind.AlreadyReserved })
            Assert.Empty(runs);

        // One reserve read at a time.
        var reads = effects.OfType<ReadReserves>().ToList();
        Assert.True(reads.Count <= 1, "two reserve reads started at once");
        if (reads.Count == 1) Assert.Null(world.ReadOut);

        if (input is CapacityGuardianInput.Observed observed)
            CheckReading(world, before, decision, observed);
        else
            Assert.DoesNotContain(effects.OfType<Publish>(), p => p.Type is CapacityEvents.Ok or CapacityEvents.Warning or CapacityEvents.Critical or CapacityEvents.Emergency);

        foreach (var effect in effects)
        {
            switch (effect)
            {
                case RunOperation { Operation: ReserveOperation.AutoRelease } release:
                    // Released only when the reserve is known to be held and the pool is at or above emergency, once per reading if it fails.
                    Assert.Equal(ReserveState.Reserved, decision.State.Capacity.Reserves[release.Pool].State);
                    Assert.True(decision.State.Capacity.Pools.Single(p => p.Name == release.Pool).CapacityPercent >= thresholds.Emergency);
                    Assert.Equal(CapacityLevel.Emergency, decision.State.Capacity.Levels[release.Pool]);
                    Assert.DoesNotContain(release.Pool, world.ReleaseFailed);
                    Automatic(world, release);
                    break;
                case RunOperation { Operation: ReserveOperation.Rearm } rearm:
                    // Re-armed only when asked for, after a recovery to ok (not a first reading), once, and only a released reserve.
                    Assert.True(world.Options.RearmOnRecovery);
                    Assert.True(world.Recovered.Remove(rearm.Pool), $"re-arm of {rearm.Pool} without a recovery since it last rose");
                    Assert.Equal(CapacityLevel.Ok, decision.State.Capacity.Levels[rearm.Pool]);
                    Assert.Equal(ReserveState.Released, decision.State.Capacity.Reserves[rearm.Pool].State);
                    Automatic(world, rearm);
                    break;
                case RunOperation run:
                    Assert.IsType<CapacityGuardianInput.Requested>(input);
                    world.Running = run;
                    break;
                case ReadReserves read:
                    Assert.Equal(decision.State.Capacity.Levels.Keys.Order(), read.Pools.Order());
                    world.ReadOut = (read, read.Pools.ToDictionary(p => p, p => Status(p, world.OnDisk[p])), world.Changes);
                    break;
                case Publish { Type: CapacityEvents.ReserveReleased or CapacityEvents.ReserveArmed } changed:
                    var finished = Assert.IsType<CapacityGuardianInput.OperationFinished>(input);
                    Assert.True(finished.Outcome.Succeeded);
                    Assert.Equal(finished.Operation is ReserveOperation.Release or ReserveOperation.AutoRelease, changed.Type == CapacityEvents.ReserveReleased);
                    Assert.Equal(finished.Operation is ReserveOperation.AutoRelease or ReserveOperation.Rearm ? "true" : "false", changed.Data[CapacityEvents.AutomaticKey]);
                    break;
                case Publish { Type: CapacityEvents.ReserveReleaseFailed } failed:
                    var releasing = Assert.IsType<CapacityGuardianInput.OperationFinished>(input);
                    Assert.Equal((ReserveOperation.AutoRelease, false), (releasing.Operation, releasing.Outcome.Succeeded));
                    world.ReleaseFailed.Add(failed.Pool);
                    break;
                case Reply:
                    Assert.True(input is CapacityGuardianInput.Requested or CapacityGuardianInput.OperationFinished { Operation: ReserveOperation.Reserve or ReserveOperation.Release });
                    world.OpenRequests--;
                    break;
                case Stash:
                    Assert.NotNull(before.Running);
                    world.Stashed.Enqueue((CapacityGuardianInput.Requested)input);
                    break;
            }
        }
        Assert.True(world.OpenRequests >= 0, "a reply without a request");
        // After a reading or a finished change the reserves are (being) read again, so what the guardian holds catches up.
        if (input is CapacityGuardianInput.Observed or CapacityGuardianInput.OperationFinished && !decision.State.Capacity.Levels.IsEmpty)
            Assert.True(world.ReadOut is not null && decision.State.ReserveReadInFlight, "no reserve read under way");
        Assert.Equal(world.ReadOut is not null, decision.State.ReserveReadInFlight);
        Assert.Equal(world.ReleaseFailed.Order(), decision.State.ReleaseFailed.Order());

        // The requests that waited come back after the decision, before anything else, in order.
        if (effects.OfType<UnstashAll>().Any())
        {
            var waiting = world.Stashed.ToList();
            world.Stashed.Clear();
            foreach (var request in waiting) Take(world, request);
        }
    }

    private static void Automatic(World world, RunOperation run)
    {
        // A reserve is never released and re-armed between two readings.
        var since = world.AutomaticSinceReading[run.Pool];
        since.Add(run.Operation);
        Assert.False(since.Count > 1, $"{run.Pool}'s reserve was released and re-armed within one reading");
        world.Running = run;
    }

    private static void CheckReading(World world, CapacityGuardianState before, CapacityGuardianDecision decision, CapacityGuardianInput.Observed observed)
    {
        var thresholds = world.Options.Thresholds;
        var after = decision.State.Capacity;
        var levelEvents = decision.Effects.OfType<Publish>().ToList();
        Assert.All(levelEvents, p => Assert.True(p.Type is CapacityEvents.Ok or CapacityEvents.Warning or CapacityEvents.Critical or CapacityEvents.Emergency));
        Assert.Equal(levelEvents.Count, levelEvents.Select(p => p.Pool).Distinct().Count());
        world.ReleaseFailed.Clear();
        foreach (var set in world.AutomaticSinceReading.Values) set.Clear();

        if (!observed.List.IsOk)
        {
            // A failed list changes no level and says nothing.
            Assert.Empty(levelEvents);
            Assert.Equal(before.Capacity.Levels, after.Levels);
            return;
        }

        var published = levelEvents.ToDictionary(p => p.Pool);
        foreach (var pool in observed.List.Value)
        {
            var seen = before.Capacity.Levels.TryGetValue(pool.Name, out var previous);
            var level = after.Levels[pool.Name];
            var percent = pool.CapacityPercent!.Value;
            var reached = percent >= thresholds.Emergency ? CapacityLevel.Emergency
                : percent >= thresholds.Critical ? CapacityLevel.Critical
                : percent >= thresholds.Warning ? CapacityLevel.Warning : CapacityLevel.Ok;
            // Hysteresis: a level at least the one reached; above it only when falling, and within its band.
            Assert.True(level >= reached);
            if (level > reached)
            {
                Assert.True(seen && level <= previous, $"{pool.Name} at {percent}% kept {level} it never held");
                Assert.True(percent >= Threshold(thresholds, level) - thresholds.Hysteresis);
            }
            if (seen && previous > CapacityLevel.Ok && percent >= Threshold(thresholds, previous) - thresholds.Hysteresis
                && (previous == CapacityLevel.Emergency || percent < Threshold(thresholds, previous + 1)))
                Assert.Equal(previous, level);

            // An event exactly when the level changes (or at the pool's first reading), naming the new level.
            if (!seen || previous != level)
            {
                var change = published[pool.Name];
                Assert.Equal(CapacityEvents.Of(level), change.Type);
                Assert.Equal(seen ? previous.ToString().ToLowerInvariant() : CapacityEvents.UnknownLevel, change.Data[CapacityEvents.PreviousLevelKey]);
                if (seen && level > previous) world.Recovered.Remove(pool.Name);
                else if (seen && level == CapacityLevel.Ok && world.Options.RearmOnRecovery) world.Recovered.Add(pool.Name);
            }
            else
            {
                Assert.False(published.ContainsKey(pool.Name), $"{pool.Name} published without a level change");
            }
        }
        foreach (var (gone, previous) in before.Capacity.Levels.Where(l => observed.List.Value.All(p => p.Name != l.Key)))
        {
            // A pool that went away ends its level, if it had one above ok; it leaves the state.
            Assert.Equal(previous != CapacityLevel.Ok, published.ContainsKey(gone));
            if (published.TryGetValue(gone, out var ended)) Assert.Equal(CapacityEvents.Ok, ended.Type);
            Assert.False(after.Levels.ContainsKey(gone));
            Assert.False(after.Reserves.ContainsKey(gone));
            world.Recovered.Remove(gone);
        }
        // A wanted re-arm only for a pool that recovered since it last rose, and that is still listed.
        Assert.Subset(world.Recovered, decision.State.RearmWanted.Concat(decision.Effects.OfType<RunOperation>().Where(r => r.Operation == ReserveOperation.Rearm).Select(r => r.Pool)).ToHashSet());
    }

    private static double Threshold(CapacityThresholds thresholds, CapacityLevel level) => level switch
    {
        CapacityLevel.Warning => thresholds.Warning,
        CapacityLevel.Critical => thresholds.Critical,
        _ => thresholds.Emergency,
    };

    [Fact]
    public void The_guardians_invariants_hold_for_any_history() =>
        Histories.Sample(Run, iter: 2000);
}
