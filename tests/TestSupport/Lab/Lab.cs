using DPlaneOS.Zfs.Host;

namespace DPlaneOS.TestSupport.Lab;

/// <summary>
/// The real lab (scripts/lab): zfs-fuse pools on files, faults, dockerd, smbd, PostgreSQL.
/// Integration tests fail, never skip, when a component is missing: scripts/test.sh starts them all.
/// </summary>
public static class Lab
{
    private static readonly CommandRunner Runner = new();

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("DPLANEOS_REPO") is { Length: > 0 } fromEnv) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DPlaneOS.Actors.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (DPlaneOS.Actors.sln); set DPLANEOS_REPO");
    }

    public static string Root => Environment.GetEnvironmentVariable("LAB_ROOT") is { Length: > 0 } root ? root : "/var/tmp/dplaneos-lab";

    /// <summary>Runs scripts/lab/&lt;script&gt; and returns its stdout; a non-zero exit fails the test with the script's output.</summary>
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var result = await Runner.RunAsync([Path.Combine(RepoRoot, "scripts", "lab", script), .. args], TimeSpan.FromMinutes(3));
        if (!result.IsOk) throw new InvalidOperationException($"{script} {string.Join(' ', args)}: {result.Error}");
        if (!result.Value.Succeeded)
            throw new InvalidOperationException(
                $"{script} {string.Join(' ', args)} exited {result.Value.ExitCode}\n{result.Value.StandardOutput}\n{result.Value.StandardError}");
        return result.Value.StandardOutput;
    }

    /// <summary>Runs a host command (zpool, zfs, …) and returns its stdout; fails the test on a non-zero exit.</summary>
    public static async Task<string> HostAsync(params string[] command)
    {
        var result = await Runner.RunAsync(command, TimeSpan.FromMinutes(2));
        if (!result.IsOk) throw new InvalidOperationException($"{string.Join(' ', command)}: {result.Error}");
        if (!result.Value.Succeeded)
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {result.Value.ExitCode}: {result.Value.StandardError}");
        return result.Value.StandardOutput;
    }

    /// <summary>
    /// <c>zfs destroy &lt;args&gt;</c>, retried while zfs-fuse answers "dataset is busy": it often refuses
    /// the first destroy of a dataset that was mounted a moment ago, and lets the next one through.
    /// </summary>
    public static async Task ZfsDestroyAsync(params string[] args)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await Runner.RunAsync(["zfs", "destroy", .. args], TimeSpan.FromMinutes(2));
            if (!result.IsOk) throw new InvalidOperationException($"zfs destroy {string.Join(' ', args)}: {result.Error}");
            if (result.Value.Succeeded) return;
            if (attempt >= 5 || !result.Value.StandardError.Contains("dataset is busy", StringComparison.Ordinal))
                throw new InvalidOperationException($"zfs destroy {string.Join(' ', args)} exited {result.Value.ExitCode}: {result.Value.StandardError}");
            await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt));
        }
    }

    /// <summary>Fails with a clear message unless a ZFS answers (zfs-fuse started by scripts/test.sh, or kernel ZFS).</summary>
    public static async Task RequireZfsAsync()
    {
        var result = await Runner.RunAsync(["zpool", "list"], TimeSpan.FromSeconds(30));
        if (!result.IsOk || !result.Value.Succeeded)
            throw new InvalidOperationException(
                "No ZFS answers 'zpool list'. Run the tests through scripts/test.sh, which installs and starts zfs-fuse. " +
                (result.IsOk ? result.Value.StandardError : result.Error.ToString()));
    }

    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)];
}
