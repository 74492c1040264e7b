namespace DPlaneOS.TestSupport.Lab;

/// <summary>
/// Free "disks" for a test that creates a pool itself (GitOps apply): sparse files under
/// <c>$LAB_ROOT/&lt;name&gt;</c> behind <c>/dev/disk/by-id/ata-DPLANE_LAB_&lt;name&gt;_&lt;n&gt;</c> links, in no pool yet.
/// Dispose destroys any pool named <see cref="Pool"/> that is still there, then removes files, links and mountpoints.
/// </summary>
public sealed class LabDisks : IAsyncDisposable
{
    private readonly string _directory;

    private LabDisks(string pool, string directory, IReadOnlyList<string> paths)
    {
        Pool = pool;
        _directory = directory;
        Paths = paths;
    }

    /// <summary>A unique pool name the test may create on these disks; cleaned up on dispose.</summary>
    public string Pool { get; }

    /// <summary>The by-id paths, ready for state.yaml.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Where the test should mount the pool: under the lab root, not in /.</summary>
    public string Mountpoint => System.IO.Path.Combine(Lab.Root, "mnt", Pool);

    public static async Task<LabDisks> CreateAsync(int count = 2, long bytes = 128L * 1024 * 1024)
    {
        await Lab.RequireZfsAsync();
        var pool = Lab.UniqueName("dpg");
        var directory = System.IO.Path.Combine(Lab.Root, pool);
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory("/dev/disk/by-id");
        var paths = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var file = System.IO.Path.Combine(directory, $"d{i}");
            await using (var stream = File.Create(file)) stream.SetLength(bytes);
            var link = $"/dev/disk/by-id/ata-DPLANE_LAB_{pool}_{i}";
            File.Delete(link);
            File.CreateSymbolicLink(link, file);
            paths.Add(link);
        }

        return new LabDisks(pool, directory, paths);
    }

    public async ValueTask DisposeAsync()
    {
        // pool-destroy.sh knows the lab layout: it destroys the pool if it exists (retrying "busy"),
        // unmounts, and removes $LAB_ROOT/<pool>/d*, the mountpoint dir and the by-id links.
        await Lab.RunAsync("pool-destroy.sh", Pool);
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        // zpool create without -m mounts at /<pool> until the root's mountpoint is set; remove what is left.
        var defaultMountpoint = "/" + Pool;
        if (Directory.Exists(defaultMountpoint) && !Directory.EnumerateFileSystemEntries(defaultMountpoint).Any()) Directory.Delete(defaultMountpoint);
    }
}
