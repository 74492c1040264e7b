namespace DPlaneOS.Zfs.Watch;

/// <summary>
/// Counts inotify watches per user from <c>/proc</c>: for every process, the fds whose link is
/// <c>anon_inode:inotify</c>, then only those fds' <c>fdinfo</c> (reading every fdinfo of every
/// process would cost far more). Processes that exit or hide their fds while being read are skipped.
/// Blocking file I/O: call it off an actor's thread.
/// </summary>
public sealed class ProcInotifyReader(string procRoot = "/proc")
{
    public string ProcRoot { get; } = procRoot;

    /// <summary>Throws <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/>) when the limits cannot be read.</summary>
    public InotifyUsage Read(DateTimeOffset at)
    {
        var maxWatches = ReadLimit("max_user_watches");
        var maxInstances = ReadLimit("max_user_instances");
        var byUser = new Dictionary<int, (long Watches, int Instances)>();
        foreach (var process in Directory.EnumerateDirectories(ProcRoot))
        {
            if (!int.TryParse(Path.GetFileName(process), out _)) continue;
            try
            {
                var (watches, instances) = CountProcess(process);
                if (instances == 0) continue;
                var uid = InotifyFdInfo.EffectiveUid(File.ReadAllText(Path.Combine(process, "status"))) ?? -1;
                var sum = byUser.GetValueOrDefault(uid);
                byUser[uid] = (sum.Watches + watches, sum.Instances + instances);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process exited (ENOENT/ESRCH) or is not ours to read: it cannot be counted.
            }
        }
        var users = byUser.Select(u => new InotifyUserUsage(u.Key, u.Value.Watches, u.Value.Instances)).OrderBy(u => u.Uid).ToList();
        return new InotifyUsage(at, maxWatches, maxInstances, users);
    }

    private static (long Watches, int Instances) CountProcess(string process)
    {
        long watches = 0;
        var instances = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget != InotifyFdInfo.LinkTarget) continue;
                watches += InotifyFdInfo.CountWatches(File.ReadAllText(Path.Combine(process, "fdinfo", Path.GetFileName(fd))));
                instances++;
            }
            catch (FileNotFoundException)
            {
                // Closed while we looked.
            }
        }
        return (watches, instances);
    }

    private long ReadLimit(string name)
    {
        var path = Path.Combine(ProcRoot, "sys", "fs", "inotify", name);
        return InotifyFdInfo.Limit(File.ReadAllText(path)) ?? throw new IOException($"{path} does not hold a positive number");
    }
}
