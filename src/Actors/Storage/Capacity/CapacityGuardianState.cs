using System.Collections.Immutable;
using System.Globalization;
using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Storage.Capacity;

/// <summary>The reserve change under way (one at a time).</summary>
public sealed record RunningOperation(ReserveOperation Operation, string Pool);

/// <summary>
/// The capacity guardian's decisions as an immutable value: what it knows of the pools (<see cref="Capacity"/>: the
/// last list, the levels with hysteresis, the reserves), which released reserves wait to be re-armed, which automatic
/// releases failed at this reading, and which reads and changes are under way. <see cref="Decide"/> turns an input into
/// the next state and the effects the actor carries out; nothing here reads a clock or does I/O.
/// <para>
/// Automation: a reserve still held on a pool at or above the emergency threshold is released at once (before
/// anything else); a reserve released while its pool was above ok is re-armed when the pool recovers to ok (if
/// <see cref="CapacityOptions.RearmOnRecovery"/>). A failed automatic release is tried again at the next reading,
/// not in a tight loop; an automatic change that finds the reserve changed by hand waits for a fresh read.
/// </para>
/// </summary>
public sealed record CapacityGuardianState(CapacityState Capacity)
{
    public static readonly CapacityGuardianState Empty = new(CapacityState.Empty);

    /// <summary>Pools that recovered to ok since they last rose: their reserve is re-armed once it reads as released.</summary>
    public ImmutableSortedSet<string> RearmWanted { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Pools whose automatic release failed since the last reading: tried again at the next one.</summary>
    public ImmutableSortedSet<string> ReleaseFailed { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>A <see cref="CapacityGuardianEffect.ReadReserves"/> is out (one at a time).</summary>
    public bool ReserveReadInFlight { get; init; }

    /// <summary>Counts reserve changes started and finished: a read that began before one is stale and read again.</summary>
    public int ReserveVersion { get; init; }

    /// <summary>The reserve change under way, if any; requests meanwhile wait.</summary>
    public RunningOperation? Running { get; init; }

    public CapacityReport Report(CapacityOptions options) => Capacity.Report(options.Thresholds, options.ReservePercent);

    public CapacityGuardianDecision Decide(CapacityGuardianInput input, DateTimeOffset now, CapacityOptions options)
    {
        var step = new Step(this, options, now);
        switch (input)
        {
            case CapacityGuardianInput.Observed observed: step.Observed(observed); break;
            case CapacityGuardianInput.ReservesRead read: step.ReservesRead(read); break;
            case CapacityGuardianInput.Requested requested: step.Requested(requested); break;
            case CapacityGuardianInput.OperationFinished finished: step.OperationFinished(finished); break;
        }
        return new CapacityGuardianDecision(step.State, step.Effects);
    }

    /// <summary>One decision being made: the state so far and the effects so far.</summary>
    private sealed class Step(CapacityGuardianState state, CapacityOptions options, DateTimeOffset now)
    {
        private readonly CapacityThresholds _thresholds = options.Thresholds;

        public CapacityGuardianState State { get; private set; } = state;

        public List<CapacityGuardianEffect> Effects { get; } = [];

        public void Observed(CapacityGuardianInput.Observed observed)
        {
            var (capacity, changes) = State.Capacity.Observe(observed.At, observed.List, _thresholds);
            var rearm = State.RearmWanted;
            if (capacity.Error is not null) Log(LogLevel.WarningLevel, "Capacity not updated, zpool list failed: {0}", capacity.Error);
            foreach (var change in changes)
            {
                Publish(LevelEvent(change));
                if (change.Rising) rearm = rearm.Remove(change.Pool);
                else if (change.Recovered && options.RearmOnRecovery) rearm = rearm.Add(change.Pool);
            }
            State = State with
            {
                Capacity = capacity,
                ReleaseFailed = State.ReleaseFailed.Clear(),
                RearmWanted = rearm.Intersect(capacity.Levels.Keys),
            };
            StartReserveRead();
            StartAutomaticOperation();
        }

        public void ReservesRead(CapacityGuardianInput.ReservesRead read)
        {
            State = State with { ReserveReadInFlight = false };
            // A reserve change ran since this read started: what was read may be older than it; read again.
            if (read.Version != State.ReserveVersion)
            {
                StartReserveRead();
                return;
            }
            State = State with { Capacity = State.Capacity.WithReserves(read.Reserves) };
            StartAutomaticOperation();
        }

        public void Requested(CapacityGuardianInput.Requested requested)
        {
            if (State.Running is not null)
            {
                Effects.Add(CapacityGuardianEffect.Stash.Instance);
                return;
            }
            var pool = requested.Pool;
            // Reserving on a pool already at emergency would only be released again at the next reading.
            if (requested.Operation == ReserveOperation.Reserve
                && State.Capacity.Pools.FirstOrDefault(p => p.Name == pool) is { CapacityPercent: { } percent }
                && percent >= _thresholds.Emergency)
            {
                Effects.Add(new CapacityGuardianEffect.Reply(new ReserveOutcome(ReserveOutcomeKind.OutOfSpace, pool, EmergencyReserve.DatasetOf(pool), null,
                    $"pool '{pool}' is {percent}% full, at or above the emergency threshold {_thresholds.Emergency}%: a reserve would be released again at once")));
                return;
            }
            StartOperation(requested.Operation, pool);
        }

        public void OperationFinished(CapacityGuardianInput.OperationFinished finished)
        {
            State = State with { Running = null, ReserveVersion = State.ReserveVersion + 1 };
            var outcome = finished.Outcome;
            var automatic = finished.Operation is ReserveOperation.AutoRelease or ReserveOperation.Rearm;
            var staleReserves = false;
            if (outcome.Succeeded)
            {
                var released = finished.Operation is ReserveOperation.Release or ReserveOperation.AutoRelease;
                var status = released
                    ? new ReserveStatus(ReserveState.Released, EmergencyReserve.DatasetOf(outcome.Pool), 0)
                    : new ReserveStatus(ReserveState.Reserved, EmergencyReserve.DatasetOf(outcome.Pool), outcome.Bytes);
                State = State with { Capacity = State.Capacity.WithReserves(new Dictionary<string, ReserveStatus> { [outcome.Pool] = status }) };
                Log(LogLevel.InfoLevel, "Emergency reserve of pool {0}: {1} ({2})", outcome.Pool, outcome.Message, automatic ? "automatic" : "on request");
                Publish(released
                    ? ReserveEvent(CapacityEvents.ReserveReleased, Severity.Warning, outcome, automatic)
                    : ReserveEvent(CapacityEvents.ReserveArmed, Severity.Info, outcome, automatic));
            }
            else if (automatic && outcome.Kind is ReserveOutcomeKind.NotReserved or ReserveOutcomeKind.AlreadyReserved)
            {
                // Someone changed the reserve by hand meanwhile: what is held is stale. Deciding again before
                // the fresh read lands would repeat the same operation in a tight loop.
                Log(LogLevel.InfoLevel, "Automatic {0} of pool {1} not needed: {2}", finished.Operation, outcome.Pool, outcome.Message);
                staleReserves = true;
            }
            else if (automatic)
            {
                Log(LogLevel.ErrorLevel, "Automatic {0} of the emergency reserve of pool {1} failed: {2}", finished.Operation, outcome.Pool, outcome.Message);
                if (finished.Operation == ReserveOperation.AutoRelease)
                {
                    State = State with { ReleaseFailed = State.ReleaseFailed.Add(outcome.Pool) };
                    Publish(ReserveEvent(CapacityEvents.ReserveReleaseFailed, Severity.Critical, outcome, automatic));
                }
            }
            if (!automatic) Effects.Add(new CapacityGuardianEffect.Reply(outcome));
            Effects.Add(CapacityGuardianEffect.UnstashAll.Instance);
            StartReserveRead();
            if (!staleReserves) StartAutomaticOperation();
        }

        private void StartReserveRead()
        {
            if (State.ReserveReadInFlight || State.Capacity.Levels.IsEmpty) return;
            State = State with { ReserveReadInFlight = true };
            Effects.Add(new CapacityGuardianEffect.ReadReserves(State.ReserveVersion, State.Capacity.Levels.Keys.ToList()));
        }

        /// <summary>Releases a reserve at emergency (first), or re-arms one after recovery; one at a time.</summary>
        private void StartAutomaticOperation()
        {
            if (State.Running is not null) return;
            var capacity = State.Capacity;
            if (capacity.ReservesToRelease(_thresholds).FirstOrDefault(pool => !State.ReleaseFailed.Contains(pool)) is { } full)
            {
                StartOperation(ReserveOperation.AutoRelease, full);
                return;
            }
            var rearm = State.RearmWanted.FirstOrDefault(pool => capacity.Reserves.GetValueOrDefault(pool)?.State is ReserveState.Released);
            // A reserve that reads as none (deleted) or reserved (re-armed by hand) needs nothing.
            var wanted = State.RearmWanted.Where(pool => pool != rearm
                && capacity.Reserves.GetValueOrDefault(pool)?.State is not (ReserveState.None or ReserveState.Reserved));
            State = State with { RearmWanted = wanted.ToImmutableSortedSet(StringComparer.Ordinal) };
            if (rearm is not null) StartOperation(ReserveOperation.Rearm, rearm);
        }

        private void StartOperation(ReserveOperation operation, string pool)
        {
            State = State with { Running = new RunningOperation(operation, pool), ReserveVersion = State.ReserveVersion + 1 };
            Effects.Add(new CapacityGuardianEffect.RunOperation(operation, pool));
        }

        private CapacityGuardianEffect.Publish LevelEvent(CapacityChange change)
        {
            var data = new Dictionary<string, string>
            {
                [CapacityEvents.PoolKey] = change.Pool,
                [CapacityEvents.LevelKey] = Name(change.To),
                [CapacityEvents.PreviousLevelKey] = change.FirstReading ? CapacityEvents.UnknownLevel : Name(change.From),
            };
            if (change.FirstReading) data[CapacityEvents.ReasonKey] = "first reading since start";
            if (change.Now is { } pool)
            {
                Add(data, CapacityEvents.PercentKey, pool.CapacityPercent);
                Add(data, CapacityEvents.SizeKey, pool.Size);
                Add(data, CapacityEvents.UsedKey, pool.Allocated);
                Add(data, CapacityEvents.FreeKey, pool.Free);
            }
            else
            {
                data[CapacityEvents.ReasonKey] = "the pool is no longer listed";
            }
            if (Threshold(change.To) is { } threshold) data[CapacityEvents.ThresholdKey] = threshold.ToString(CultureInfo.InvariantCulture);
            var severity = change.To switch
            {
                CapacityLevel.Warning => Severity.Warning,
                CapacityLevel.Critical or CapacityLevel.Emergency => Severity.Critical,
                _ => Severity.Resolved,
            };
            return new CapacityGuardianEffect.Publish(CapacityEvents.Of(change.To), severity, change.Pool, now, data);
        }

        private CapacityGuardianEffect.Publish ReserveEvent(string type, Severity severity, ReserveOutcome outcome, bool automatic)
        {
            var data = new Dictionary<string, string>
            {
                [CapacityEvents.PoolKey] = outcome.Pool,
                [CapacityEvents.DatasetKey] = outcome.Dataset ?? EmergencyReserve.DatasetOf(outcome.Pool),
                [CapacityEvents.AutomaticKey] = automatic ? "true" : "false",
                [CapacityEvents.MessageKey] = outcome.Message,
            };
            Add(data, type == CapacityEvents.ReserveReleased ? CapacityEvents.BytesFreedKey : CapacityEvents.BytesKey, outcome.Bytes);
            if (State.Capacity.Pools.FirstOrDefault(p => p.Name == outcome.Pool) is { } pool) Add(data, CapacityEvents.PercentKey, pool.CapacityPercent);
            return new CapacityGuardianEffect.Publish(type, severity, outcome.Pool, now, data);
        }

        private double? Threshold(CapacityLevel level) => level switch
        {
            CapacityLevel.Warning => _thresholds.Warning,
            CapacityLevel.Critical => _thresholds.Critical,
            CapacityLevel.Emergency => _thresholds.Emergency,
            _ => null,
        };

        private void Publish(CapacityGuardianEffect.Publish publish) => Effects.Add(publish);

        private void Log(LogLevel level, string template, params object[] args) => Effects.Add(new CapacityGuardianEffect.Log(level, template, args));

        private static string Name(CapacityLevel level) => level.ToString().ToLowerInvariant();

        private static void Add(Dictionary<string, string> data, string key, long? value)
        {
            if (value is { } v) data[key] = v.ToString(CultureInfo.InvariantCulture);
        }
    }
}
