using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Capacity;

public enum ReserveOutcomeKind
{
    Done,
    InvalidName,
    PoolNotFound,

    /// <summary>Reserve asked for, but one is already held.</summary>
    AlreadyReserved,

    /// <summary>Release asked for, but there is no reserve or it is already released.</summary>
    NotReserved,

    /// <summary>ZFS refused for lack of space (the pool is too full for the reserve).</summary>
    OutOfSpace,

    Failed,
}

/// <summary>What a reserve or release did, with a message an admin can act on.</summary>
/// <param name="Bytes">Reserve: the bytes now held. Release: the bytes given back. Refusals: the current reservation, when known.</param>
/// <param name="UsableBytes">Reserve: the usable pool space the size was taken from.</param>
public sealed record ReserveOutcome(
    ReserveOutcomeKind Kind,
    string Pool,
    string? Dataset,
    long? Bytes,
    string Message,
    long? UsableBytes = null)
{
    public bool Succeeded => Kind == ReserveOutcomeKind.Done;

    public static ReserveOutcome Failed(string pool, string message) =>
        new(ReserveOutcomeKind.Failed, pool, EmergencyReserve.DatasetOf(pool), null, message);

    public static ReserveOutcome FromCommandError(string pool, CommandError error) =>
        new(IsOutOfSpace(error) ? ReserveOutcomeKind.OutOfSpace : ReserveOutcomeKind.Failed, pool, EmergencyReserve.DatasetOf(pool), null, error.ToString());

    // zfs create says "out of space"; zfs set on a reservation says "size is greater than available space".
    private static bool IsOutOfSpace(CommandError error) =>
        error.Message.Contains("out of space", StringComparison.OrdinalIgnoreCase)
        || error.Message.Contains("greater than available space", StringComparison.OrdinalIgnoreCase);
}
