using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Actors.Storage.Capacity;

/// <summary>A change of the emergency reserve: on request (<see cref="Reserve"/>, <see cref="Release"/>) or automatic.</summary>
public enum ReserveOperation
{
    Reserve,
    Release,

    /// <summary>The guardian releases the reserve because the pool reached the emergency threshold.</summary>
    AutoRelease,

    /// <summary>The guardian re-arms a released reserve because the pool recovered to ok.</summary>
    Rearm,
}

/// <summary>
/// What the capacity guardian decides on (<see cref="CapacityGuardianState.Decide"/>): readings of the pools,
/// reads of the reserves, requests, and finished reserve changes.
/// </summary>
public abstract record CapacityGuardianInput
{
    private CapacityGuardianInput()
    {
    }

    /// <summary>A <c>zpool list</c> (read by the health actor), taken at <paramref name="At"/>.</summary>
    public sealed record Observed(DateTimeOffset At, HostResult<IReadOnlyList<ZpoolListEntry>> List) : CapacityGuardianInput;

    /// <summary>The reserves read by a <see cref="CapacityGuardianEffect.ReadReserves"/> of <paramref name="Version"/>.</summary>
    public sealed record ReservesRead(int Version, IReadOnlyDictionary<string, ReserveStatus> Reserves) : CapacityGuardianInput;

    /// <summary>Someone asked to reserve or release (<see cref="ReserveOperation.Reserve"/> or <see cref="ReserveOperation.Release"/>).</summary>
    public sealed record Requested(ReserveOperation Operation, string Pool) : CapacityGuardianInput;

    /// <summary>A <see cref="CapacityGuardianEffect.RunOperation"/> finished with <paramref name="Outcome"/> (a failed task is a failed outcome).</summary>
    public sealed record OperationFinished(ReserveOperation Operation, ReserveOutcome Outcome) : CapacityGuardianInput;
}
