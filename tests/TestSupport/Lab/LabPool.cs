namespace DPlaneOS.TestSupport.Lab;

/// <summary>A real zfs-fuse pool on sparse files behind /dev/disk/by-id links; destroyed on dispose.</summary>
public sealed class LabPool : IAsyncDisposable
{
    private LabPool(string name, IReadOnlyList<string> disks, string mountpoint)
    {
        Name = name;
        Disks = disks;
        Mountpoint = mountpoint;
    }

    public string Name { get; }

    /// <summary>The by-id paths of the pool's disks, in creation order.</summary>
    public IReadOnlyList<string> Disks { get; }

    public string Mountpoint { get; }

    public static async Task<LabPool> CreateAsync(string layout = "mirror", int disks = 2, string size = "128M", string? tmpfs = null)
    {
        await Lab.RequireZfsAsync();
        var name = Lab.UniqueName("dpl");
        var mountpoint = Path.Combine(Lab.Root, "mnt", name);
        List<string> args = [name, "--layout", layout, "--disks", disks.ToString(), "--size", size, "--mountpoint", mountpoint];
        if (tmpfs is not null) args.AddRange(["--tmpfs", tmpfs]);
        var output = await Lab.RunAsync("pool-create.sh", [.. args]);
        var links = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("/dev/disk/by-id/", StringComparison.Ordinal))
            .ToList();
        if (links.Count != disks) throw new InvalidOperationException($"pool-create.sh printed {links.Count} disks, expected {disks}:\n{output}");
        return new LabPool(name, links, mountpoint);
    }

    public Task<string> InjectAsync(string fault, string? vdev = null) =>
        Lab.RunAsync("fault.sh", vdev is null ? ["inject", fault, Name] : ["inject", fault, Name, vdev]);

    public Task<string> UndoAsync(string fault, string? vdev = null) =>
        Lab.RunAsync("fault.sh", vdev is null ? ["undo", fault, Name] : ["undo", fault, Name, vdev]);

    public async ValueTask DisposeAsync() => await Lab.RunAsync("pool-destroy.sh", Name);
}
