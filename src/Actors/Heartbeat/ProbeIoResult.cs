namespace DPlaneOS.Actors.Heartbeat;

/// <summary>The outcome of one write-fsync-read probe; <see cref="Failure"/> says what went wrong.</summary>
public sealed record ProbeIoResult(bool Succeeded, string? Failure, TimeSpan Took)
{
    public static ProbeIoResult Ok(TimeSpan took) => new(true, null, took);

    public static ProbeIoResult Fail(string failure, TimeSpan took) => new(false, failure, took);
}
