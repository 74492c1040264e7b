using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Actors.Tests.Storage.Pools;

/// <summary>
/// The real prober on real files (the tests run as root, like the daemon): it writes only inside its own
/// directory and never through anything someone planted on its path.
/// </summary>
public sealed class FilePoolProberTests
{
    private static readonly DateTime LongAgo = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan NeverBlocks = TimeSpan.FromSeconds(10);

    private readonly FilePoolProber _prober = new(TimeProvider.System);

    private static string OwnedDirectory(string root) => Path.Combine(root, FilePoolProber.DirectoryName);

    private static async Task RunAsync(params string[] command)
    {
        var run = await new CommandRunner().RunAsync(command, TimeSpan.FromSeconds(10));
        Assert.True(run.IsOk && run.Value.Succeeded, $"{string.Join(' ', command)} failed");
    }

    /// <summary><c>uid mode type</c> of <paramref name="path"/> itself (not a link's target).</summary>
    private static async Task<string> StatAsync(string path)
    {
        var run = await new CommandRunner().RunAsync(["stat", "--format=%u %a %F", path], TimeSpan.FromSeconds(10));
        Assert.True(run.IsOk && run.Value.Succeeded, $"stat {path} failed");
        return run.Value.StandardOutput.Trim();
    }

    /// <summary>A directory outside the pool with a file worth stealing; <see cref="AssertUntouchedAsync"/> checks both.</summary>
    private sealed class Outside
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("dplaned-outside-").FullName;

        public string Victim => Path.Combine(Directory, "audit.key");

        public static async Task<Outside> CreateAsync()
        {
            var outside = new Outside();
            await File.WriteAllTextAsync(outside.Victim, "secret key material\n");
            File.SetLastWriteTimeUtc(outside.Victim, LongAgo);
            System.IO.Directory.SetLastWriteTimeUtc(outside.Directory, LongAgo);
            return outside;
        }

        public async Task AssertUntouchedAsync()
        {
            Assert.Equal("secret key material\n", await File.ReadAllTextAsync(Victim));
            Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(Victim));
            Assert.Equal([Victim], System.IO.Directory.GetFileSystemEntries(Directory));
            Assert.Equal(LongAgo, System.IO.Directory.GetLastWriteTimeUtc(Directory));
        }
    }

    [Fact]
    public async Task Writes_a_new_file_in_its_own_root_0700_directory_renames_it_and_reads_back_unique_content()
    {
        var root = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        var first = await _prober.ProbeAsync(root);
        Assert.True(first.Succeeded, first.Failure);
        Assert.Equal([OwnedDirectory(root)], Directory.GetFileSystemEntries(root));
        Assert.Equal("0 700 directory", await StatAsync(OwnedDirectory(root)));
        var file = FilePoolProber.ProbeFilePath(root);
        Assert.Equal(OwnedDirectory(root), Path.GetDirectoryName(file));
        var content = await File.ReadAllTextAsync(file);
        Assert.StartsWith("dplaneos heartbeat ", content);

        Assert.True((await _prober.ProbeAsync(root)).Succeeded);
        Assert.NotEqual(content, await File.ReadAllTextAsync(file));
        Assert.Equal("0 600 regular file", await StatAsync(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(OwnedDirectory(root)));
    }

    [Fact]
    public async Task A_link_planted_at_an_old_probe_name_is_never_followed()
    {
        var root = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        var outside = await Outside.CreateAsync();
        File.CreateSymbolicLink(Path.Combine(root, ".dplaneos_heartbeat.tmp"), outside.Victim);
        File.CreateSymbolicLink(Path.Combine(root, ".dplaneos_heartbeat"), outside.Victim);

        var result = await _prober.ProbeAsync(root);

        Assert.True(result.Succeeded, result.Failure);
        await outside.AssertUntouchedAsync();
        // The old names are not the prober's any more: it leaves them exactly as they are.
        Assert.Equal(outside.Victim, new FileInfo(Path.Combine(root, ".dplaneos_heartbeat.tmp")).LinkTarget);
        Assert.Equal(outside.Victim, new FileInfo(Path.Combine(root, ".dplaneos_heartbeat")).LinkTarget);
    }

    public static TheoryData<string> PlantedAtTheDirectory => ["link to a file", "link to a directory", "dangling link", "fifo", "file", "foreign directory", "open directory"];

    [Theory]
    [MemberData(nameof(PlantedAtTheDirectory))]
    public async Task Anything_but_its_own_directory_at_the_directory_path_is_tampering_and_nothing_is_written(string planted)
    {
        var root = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        var outside = await Outside.CreateAsync();
        var path = OwnedDirectory(root);
        var found = await PlantAsync(planted, path, outside);

        var result = await _prober.ProbeAsync(root).WaitAsync(NeverBlocks);

        Assert.False(result.Succeeded);
        Assert.Equal(path, result.TamperedPath);
        Assert.Equal($"{path} {found}", result.Failure);
        await outside.AssertUntouchedAsync();
        Assert.Equal([path], Directory.GetFileSystemEntries(root));

        // Removed by hand: the next probe makes its own directory and succeeds.
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null) Directory.Delete(path);
        else File.Delete(path);
        var clean = await _prober.ProbeAsync(root);
        Assert.True(clean.Succeeded, clean.Failure);
        await outside.AssertUntouchedAsync();
    }

    /// <summary>Puts <paramref name="planted"/> at <paramref name="path"/>; returns what the prober must say it found there.</summary>
    private static async Task<string> PlantAsync(string planted, string path, Outside outside)
    {
        switch (planted)
        {
            case "link to a file":
                File.CreateSymbolicLink(path, outside.Victim);
                return $"is a symbolic link to {outside.Victim}";
            case "link to a directory":
                // The outside directory is root's and 0700 like the real one: only refusing the link keeps it clean.
                Directory.CreateSymbolicLink(path, outside.Directory);
                return $"is a symbolic link to {outside.Directory}";
            case "dangling link":
                File.CreateSymbolicLink(path, Path.Combine(outside.Directory, "new-file"));
                return $"is a symbolic link to {Path.Combine(outside.Directory, "new-file")}";
            case "fifo":
                await RunAsync("mkfifo", path);
                return "is a FIFO";
            case "file":
                await File.WriteAllTextAsync(path, "not a directory");
                return "is a regular file";
            case "foreign directory":
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                await RunAsync("chown", "1000:1000", path);
                return "is owned by uid 1000, not 0";
            case "open directory":
                Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
                return "has mode 0777, not 0700";
            default:
                throw new ArgumentOutOfRangeException(nameof(planted), planted, null);
        }
    }

    public static TheoryData<string, string> PlantedInside => new()
    {
        { "heartbeat.tmp", "link to a file" },
        { "heartbeat.tmp", "fifo" },
        { "heartbeat.tmp", "directory" },
        { "heartbeat", "link to a file" },
        { "heartbeat", "fifo" },
        { "heartbeat", "directory" },
        { "heartbeat", "foreign file" },
    };

    /// <summary>Only root can put anything into the 0700 directory; even then the prober follows nothing.</summary>
    [Theory]
    [MemberData(nameof(PlantedInside))]
    public async Task Anything_but_its_own_file_at_a_file_path_is_tampering_and_nothing_is_written(string name, string planted)
    {
        var root = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        Assert.True((await _prober.ProbeAsync(root)).Succeeded);
        var outside = await Outside.CreateAsync();
        var path = Path.Combine(OwnedDirectory(root), name);
        File.Delete(path);
        string found;
        switch (planted)
        {
            case "link to a file":
                File.CreateSymbolicLink(path, outside.Victim);
                found = $"is a symbolic link to {outside.Victim}, not a regular file";
                break;
            case "fifo":
                await RunAsync("mkfifo", path);
                found = "is a FIFO, not a regular file";
                break;
            case "directory":
                Directory.CreateDirectory(path);
                found = "is a directory, not a regular file";
                break;
            default:
                await File.WriteAllTextAsync(path, "someone else's");
                await RunAsync("chown", "1000:1000", path);
                found = "is owned by uid 1000, not 0";
                break;
        }

        var result = await _prober.ProbeAsync(root).WaitAsync(NeverBlocks);

        Assert.False(result.Succeeded);
        Assert.Equal(path, result.TamperedPath);
        Assert.Equal($"{path} {found}", result.Failure);
        await outside.AssertUntouchedAsync();
    }

    [Fact]
    public async Task A_temporary_file_left_by_an_interrupted_probe_is_replaced()
    {
        var root = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        Assert.True((await _prober.ProbeAsync(root)).Succeeded);
        var leftover = Path.Combine(OwnedDirectory(root), "heartbeat.tmp");
        await File.WriteAllTextAsync(leftover, "dplaneos heartbeat (torn)");

        var result = await _prober.ProbeAsync(root);

        Assert.True(result.Succeeded, result.Failure);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task A_pool_root_that_is_a_link_is_tampering_and_nothing_is_created_where_it_points()
    {
        var parent = Directory.CreateTempSubdirectory("dplaned-probe-").FullName;
        var outside = await Outside.CreateAsync();
        var root = Path.Combine(parent, "tank");
        Directory.CreateSymbolicLink(root, outside.Directory);

        var result = await _prober.ProbeAsync(root);

        Assert.Equal((root, $"{root} is a symbolic link to {outside.Directory}"), (result.TamperedPath, result.Failure));
        await outside.AssertUntouchedAsync();
    }

    [Fact]
    public async Task A_write_error_is_a_failed_probe_with_the_reason()
    {
        var result = await _prober.ProbeAsync("/nonexistent/dplaned-probe");
        Assert.False(result.Succeeded);
        Assert.Null(result.TamperedPath);
        Assert.Equal("write failed: cannot open /nonexistent/dplaned-probe: No such file or directory", result.Failure);
    }

    [Fact]
    public async Task A_blocked_probe_is_joined_never_doubled_and_a_new_one_starts_once_it_returns()
    {
        // A write to a hung pool never returns; the real thing is on zfs-fuse (PoolHeartbeatOnZfsFuseTests).
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var calls = 0;
        var prober = new FilePoolProber(_ =>
        {
            Interlocked.Increment(ref calls);
            entered.Release();
            release.Wait();
            return ProbeIoResult.Fail("write failed: Input/output error", TimeSpan.FromSeconds(42));
        });

        var first = prober.ProbeAsync("/tank");
        Assert.True(await entered.WaitAsync(NeverBlocks));
        Assert.Same(first, prober.ProbeAsync("/tank"));
        Assert.False(first.IsCompleted);
        Assert.NotSame(first, prober.ProbeAsync("/backup"));
        Assert.True(await entered.WaitAsync(NeverBlocks));

        release.Set();
        Assert.Equal("write failed: Input/output error", (await first.WaitAsync(NeverBlocks)).Failure);
        var next = prober.ProbeAsync("/tank");
        Assert.NotSame(first, next);
        await next.WaitAsync(NeverBlocks);
        Assert.Equal(3, calls);
    }
}
