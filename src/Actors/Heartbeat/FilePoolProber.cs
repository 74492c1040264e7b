using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace DPlaneOS.Actors.Heartbeat;

/// <summary>
/// The real probe: unique content written through a write-through stream to a new file, fsynced,
/// renamed to <c>&lt;mountpoint&gt;/.dplaneos_heartbeat</c> and read back, on a dedicated thread per probe. A thread stuck in
/// a hung write stays stuck until the pool recovers; at most one per pool exists.
/// </summary>
public sealed class FilePoolProber(TimeProvider time) : IPoolProber
{
    public const string FileName = ".dplaneos_heartbeat";

    /// <summary>Written first, then renamed to <see cref="FileName"/>; only one probe per pool, so one fixed name.</summary>
    public const string TemporaryFileName = ".dplaneos_heartbeat.tmp";

    private readonly ConcurrentDictionary<string, Task<ProbeIoResult>> _inFlight = new(StringComparer.Ordinal);

    public Task<ProbeIoResult> ProbeAsync(string directory)
    {
        while (true)
        {
            if (_inFlight.TryGetValue(directory, out var running)) return running;
            var completion = new TaskCompletionSource<ProbeIoResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(directory, completion.Task)) continue;
            var thread = new Thread(() =>
            {
                var result = WriteAndReadBack(directory);
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

    private ProbeIoResult WriteAndReadBack(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = Path.Combine(directory, TemporaryFileName);
        var content = Encoding.UTF8.GetBytes($"dplaneos heartbeat {Guid.NewGuid():N} {time.GetUtcNow():O}\n");
        var stopwatch = Stopwatch.StartNew();
        try
        {
            // A new file each time, renamed over the last one: allocation, data, fsync and a directory
            // update. On zfs-fuse, overwriting one existing file kept working for seconds after creates hung.
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.WriteThrough,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex)
        {
            // Any exception here is the pool's answer; an escaping one would end the process.
            return ProbeIoResult.Fail($"write failed: {ex.Message}", stopwatch.Elapsed);
        }

        try
        {
            var readBack = File.ReadAllBytes(path);
            return readBack.AsSpan().SequenceEqual(content)
                ? ProbeIoResult.Ok(stopwatch.Elapsed)
                : ProbeIoResult.Fail($"read back {readBack.Length} bytes that differ from the {content.Length} written", stopwatch.Elapsed);
        }
        catch (Exception ex)
        {
            return ProbeIoResult.Fail($"read failed: {ex.Message}", stopwatch.Elapsed);
        }
    }
}
