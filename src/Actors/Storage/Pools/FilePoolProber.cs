using System.Collections.Concurrent;
using System.Text;

namespace DPlaneOS.Actors.Storage.Pools;

/// <summary>
/// The real probe: unique content written to a new file in the daemon's own directory
/// <c>&lt;mountpoint&gt;/.dplaneos/</c>, fsynced, renamed to <c>heartbeat</c> and read back, never through a link
/// (<see cref="OwnedProbeDirectory"/>), on a dedicated thread per probe. A thread stuck in a hung write stays
/// stuck until the pool recovers; at most one per pool exists.
/// </summary>
public sealed class FilePoolProber : IPoolProber
{
    /// <summary>The daemon's directory in the pool root; the only entry of the pool root the probe creates.</summary>
    public const string DirectoryName = OwnedProbeDirectory.DirectoryName;

    private readonly Func<string, ProbeIoResult> _probe;
    private readonly ConcurrentDictionary<string, Task<ProbeIoResult>> _inFlight = new(StringComparer.Ordinal);

    public FilePoolProber(TimeProvider time)
        : this(directory => OwnedProbeDirectory.WriteAndReadBack(directory,
            Encoding.UTF8.GetBytes($"dplaneos heartbeat {Guid.NewGuid():N} {time.GetUtcNow():O}\n")))
    {
    }

    /// <summary>Runs <paramref name="probe"/> instead of the file I/O: tests of the one-thread-per-pool rule.</summary>
    internal FilePoolProber(Func<string, ProbeIoResult> probe) => _probe = probe;

    /// <summary>The file a probe of <paramref name="mountpoint"/> leaves behind.</summary>
    public static string ProbeFilePath(string mountpoint) => Path.Combine(mountpoint, DirectoryName, OwnedProbeDirectory.FileName);

    public Task<ProbeIoResult> ProbeAsync(string directory)
    {
        while (true)
        {
            if (_inFlight.TryGetValue(directory, out var running)) return running;
            var completion = new TaskCompletionSource<ProbeIoResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(directory, completion.Task)) continue;
            var thread = new Thread(() =>
            {
                var result = _probe(directory);
                _inFlight.TryRemove(KeyValuePair.Create(directory, completion.Task));
                completion.SetResult(result);
            })
            {
                IsBackground = true,
                Name = "pool-heartbeat-probe",
            };
            thread.Start();
            return completion.Task;
        }
    }
}
