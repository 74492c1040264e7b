using DPlaneOS.Actors.Heartbeat;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Actors.Tests.Heartbeat;

/// <summary>The real prober on real files; a FIFO plays the write that blocks.</summary>
public sealed class FilePoolProberTests
{
    private readonly FilePoolProber _prober = new(TimeProvider.System);

    [Fact]
    public async Task Writes_a_new_file_fsyncs_renames_it_and_reads_back_unique_content()
    {
        var directory = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        var first = await _prober.ProbeAsync(directory);
        Assert.True(first.Succeeded, first.Failure);
        var content = await File.ReadAllTextAsync(Path.Combine(directory, FilePoolProber.FileName));
        Assert.StartsWith("dplaneos heartbeat ", content);

        Assert.True((await _prober.ProbeAsync(directory)).Succeeded);
        Assert.NotEqual(content, await File.ReadAllTextAsync(Path.Combine(directory, FilePoolProber.FileName)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(directory, FilePoolProber.FileName)));
        Assert.False(File.Exists(Path.Combine(directory, FilePoolProber.TemporaryFileName)));
    }

    [Fact]
    public async Task A_write_error_is_a_failed_probe_with_the_reason()
    {
        var result = await _prober.ProbeAsync("/nonexistent/dplaned-probe");
        Assert.False(result.Succeeded);
        Assert.StartsWith("write failed: ", result.Failure);
    }

    [Fact]
    public async Task A_blocked_write_is_joined_never_doubled_and_finishes_when_unblocked()
    {
        var directory = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        var fifo = Path.Combine(directory, FilePoolProber.TemporaryFileName);
        var final = Path.Combine(directory, FilePoolProber.FileName);
        var mkfifo = await new CommandRunner().RunAsync(["mkfifo", fifo], TimeSpan.FromSeconds(10));
        Assert.True(mkfifo.IsOk && mkfifo.Value.Succeeded, "mkfifo failed");

        // Opening a FIFO for writing blocks until a reader comes: a write that does not return (yet).
        var first = _prober.ProbeAsync(directory);
        await Task.Delay(300);
        Assert.False(first.IsCompleted);
        Assert.Same(first, _prober.ProbeAsync(directory));

        // A reader releases the write. Either the reader was gone before the write (EPIPE, a failed
        // write), or the FIFO is renamed to the heartbeat file and the read-back blocks on it until a
        // writer comes and goes without writing (nothing read back, a mismatch). Both are failed
        // probes, not exceptions.
        await using (var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read))
        {
            _ = await reader.ReadAsync(new byte[256]);
        }
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!first.IsCompleted && !File.Exists(final) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        if (!first.IsCompleted) await Task.Run(() => new FileStream(final, FileMode.Open, FileAccess.Write).Dispose()).WaitAsync(TimeSpan.FromSeconds(10));
        var result = await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result.Succeeded);
        Assert.Matches("^(read back 0 bytes|write failed: )", result.Failure);
        Assert.NotSame(first, _prober.ProbeAsync(directory));
    }
}
