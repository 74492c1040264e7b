namespace DPlaneOS.Zfs.Capacity;

/// <summary>Where a pool's emergency reserve stands.</summary>
public enum ReserveState
{
    /// <summary>Not read yet, or the read failed (see <see cref="ReserveStatus.Error"/>).</summary>
    Unknown,

    /// <summary>No <c>&lt;pool&gt;/dplane-reserved</c> dataset.</summary>
    None,

    /// <summary>The dataset holds a <c>refreservation</c> of <see cref="ReserveStatus.Bytes"/>.</summary>
    Reserved,

    /// <summary>The dataset exists with <c>refreservation=none</c>: the space was given back to the pool.</summary>
    Released,
}

/// <summary>A pool's emergency reserve as last read from <c>zfs get refreservation</c>.</summary>
public sealed record ReserveStatus(ReserveState State, string Dataset, long? Bytes = null, string? Error = null)
{
    public static ReserveStatus Unknown(string pool, string? error = null) => new(ReserveState.Unknown, EmergencyReserve.DatasetOf(pool), null, error);

    /// <summary>From the dataset's properties; null properties mean the dataset does not exist.</summary>
    public static ReserveStatus From(string pool, Model.ZfsDatasetProperties? dataset)
    {
        var name = EmergencyReserve.DatasetOf(pool);
        if (dataset is null) return new ReserveStatus(ReserveState.None, name);
        return dataset.Bytes("refreservation") switch
        {
            > 0 and var bytes => new ReserveStatus(ReserveState.Reserved, name, bytes),
            null when dataset.Properties.ContainsKey("refreservation") is false =>
                new ReserveStatus(ReserveState.Unknown, name, null, "zfs get printed no refreservation"),
            _ => new ReserveStatus(ReserveState.Released, name, 0),
        };
    }
}
