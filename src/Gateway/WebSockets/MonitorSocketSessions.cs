namespace DPlaneOS.Gateway.WebSockets;

/// <summary>Counts of the monitor WebSocket's connections, for operators, tests and the fan-out benchmark.</summary>
public sealed class MonitorSocketSessions
{
    private int _open;
    private long _opened;
    private long _closedSlow;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Connections accepted since start.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Connections being or been closed because the client did not keep up (its send queue filled).</summary>
    public long ClosedSlow => Interlocked.Read(ref _closedSlow);

    internal void Started()
    {
        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _opened);
    }

    internal void ClosingSlow() => Interlocked.Increment(ref _closedSlow);

    internal void Ended() => Interlocked.Decrement(ref _open);
}
