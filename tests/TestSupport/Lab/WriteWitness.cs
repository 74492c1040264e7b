using System.Diagnostics;

namespace DPlaneOS.TestSupport.Lab;

/// <summary>
/// An independent witness of when a pool stops taking writes: a dedicated thread writes and fsyncs
/// <c>&lt;directory&gt;/.witness</c> every 100 ms. The fault time is the start of the first write that
/// failed, or that has been out longer than <c>stuckAfter</c> (a write to a hung pool never returns;
/// the thread ends once the pool recovers). Times are <see cref="Stopwatch"/> timestamps.
/// </summary>
public sealed class WriteWitness : IDisposable
{
    private readonly string _path;
    private readonly TimeSpan _stuckAfter;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _writeStartedAt;
    private long _failedAt;

    private WriteWitness(string directory, TimeSpan stuckAfter)
    {
        _path = Path.Combine(directory, ".witness");
        _stuckAfter = stuckAfter;
        _thread = new Thread(Loop) { IsBackground = true, Name = "write-witness" };
    }

    public static WriteWitness Start(string directory, TimeSpan? stuckAfter = null)
    {
        var witness = new WriteWitness(directory, stuckAfter ?? TimeSpan.FromMilliseconds(250));
        witness._thread.Start();
        return witness;
    }

    /// <summary>Waits until the witness sees writes fail or hang; returns the timestamp the fault was first met.</summary>
    public async Task<long> FaultAsync(TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < within)
        {
            if (Interlocked.Read(ref _failedAt) is var failed and not 0) return failed;
            var started = Interlocked.Read(ref _writeStartedAt);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > _stuckAfter) return started;
            await Task.Delay(20);
        }
        throw new TimeoutException($"writes to {_path} still work after {within}");
    }

    /// <summary>True once the thread has ended (stopped, or its last write returned after recovery).</summary>
    public bool WaitFinished(TimeSpan within) => _thread.Join(within);

    public void Dispose() => _stopping = true;

    private void Loop()
    {
        var content = new byte[64];
        while (!_stopping && Interlocked.Read(ref _failedAt) == 0)
        {
            var started = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _writeStartedAt, started);
            try
            {
                using (var stream = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }
                Interlocked.Exchange(ref _writeStartedAt, 0);
            }
            catch (Exception)
            {
                Interlocked.Exchange(ref _failedAt, started);
                return;
            }
            Thread.Sleep(100);
        }
    }
}
