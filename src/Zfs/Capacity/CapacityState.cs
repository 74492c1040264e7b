using System.Collections.Immutable;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Capacity;

/// <summary>
/// What the capacity guardian knows, as an immutable value: the last pool list, each pool's level
/// (with hysteresis, so it depends on the previous one) and each pool's emergency reserve.
/// </summary>
public sealed record CapacityState(
    DateTimeOffset? LastRefresh,
    string? Error,
    ImmutableList<ZpoolListEntry> Pools,
    ImmutableDictionary<string, CapacityLevel> Levels,
    ImmutableDictionary<string, ReserveStatus> Reserves)
{
    public static CapacityState Empty { get; } = new(null, "not read yet", [], ImmutableDictionary<string, CapacityLevel>.Empty, ImmutableDictionary<string, ReserveStatus>.Empty);

    /// <summary>
    /// Takes a new <c>zpool list</c>. Returns every level change: rises, falls, pools that went away
    /// while above ok (to ok, with no entry), and the first reading of each pool (its level, even ok, so
    /// a condition reported before the daemon started ends). A failed list keeps the last levels and records the error.
    /// </summary>
    public (CapacityState State, IReadOnlyList<CapacityChange> Changes) Observe(
        DateTimeOffset at, HostResult<IReadOnlyList<ZpoolListEntry>> list, CapacityThresholds thresholds)
    {
        if (!list.IsOk) return (this with { Error = list.Error.ToString() }, []);

        var changes = new List<CapacityChange>();
        var levels = ImmutableDictionary.CreateBuilder<string, CapacityLevel>();
        foreach (var pool in list.Value)
        {
            var seen = Levels.TryGetValue(pool.Name, out var before);
            var after = thresholds.Next(before, pool.CapacityPercent);
            levels[pool.Name] = after;
            if (!seen || after != before) changes.Add(new CapacityChange(pool.Name, before, after, pool, FirstReading: !seen));
        }
        foreach (var (gone, level) in Levels)
        {
            if (!levels.ContainsKey(gone) && level != CapacityLevel.Ok) changes.Add(new CapacityChange(gone, level, CapacityLevel.Ok, null));
        }
        var state = new CapacityState(at, null, [.. list.Value], levels.ToImmutable(), Reserves.RemoveRange(Reserves.Keys.Where(p => !levels.ContainsKey(p))));
        return (state, changes);
    }

    /// <summary>Takes freshly read reserves of listed pools (others are ignored).</summary>
    public CapacityState WithReserves(IReadOnlyDictionary<string, ReserveStatus> reserves) =>
        this with { Reserves = Reserves.SetItems(reserves.Where(r => Levels.ContainsKey(r.Key))) };

    /// <summary>Pools at or above the emergency threshold that still hold a reserve: release it now.</summary>
    public IReadOnlyList<string> ReservesToRelease(CapacityThresholds thresholds) =>
        Pools.Where(p => p.CapacityPercent >= thresholds.Emergency && Reserves.GetValueOrDefault(p.Name)?.State == ReserveState.Reserved)
            .Select(p => p.Name)
            .ToList();

    public CapacityReport Report(CapacityThresholds thresholds, double reservePercent) =>
        new(LastRefresh, Error, thresholds, reservePercent, Pools
            .Select(p => new PoolCapacity(p.Name, p.Size, p.Allocated, p.Free, p.CapacityPercent, p.Health,
                Levels.GetValueOrDefault(p.Name, CapacityLevel.Ok),
                Reserves.GetValueOrDefault(p.Name) ?? ReserveStatus.Unknown(p.Name, "not read yet")))
            .ToList());
}
