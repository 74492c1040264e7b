namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>Writes, fsyncs and reads back a file in a pool's mountpoint.</summary>
public interface IPoolProber
{
    /// <summary>
    /// Probes <paramref name="directory"/>. The task may never complete (a write to a hung pool blocks
    /// in D state and cannot be cancelled), so there is no cancellation token; callers enforce their
    /// own deadline. While a probe of the same directory is still out, the same task is returned:
    /// never two probes in flight for one pool, not even across actor restarts.
    /// </summary>
    Task<ProbeIoResult> ProbeAsync(string directory);
}
