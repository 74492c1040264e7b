namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>
/// The outcome of one write-fsync-read probe; <see cref="Failure"/> says what went wrong. A probe that met
/// something planted on its path (<see cref="TamperedPath"/> set) wrote nothing: that says nothing about the pool.
/// </summary>
public sealed record ProbeIoResult(bool Succeeded, string? Failure, TimeSpan Took)
{
    /// <summary>Where the probe found a link, FIFO or foreign file instead of its own; <see cref="Failure"/> says what.</summary>
    public string? TamperedPath { get; init; }

    public static ProbeIoResult Ok(TimeSpan took) => new(true, null, took);

    public static ProbeIoResult Fail(string failure, TimeSpan took) => new(false, failure, took);

    public static ProbeIoResult Tampered(string path, string found, TimeSpan took) => new(false, found, took) { TamperedPath = path };
}
