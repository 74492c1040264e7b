using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Snapshots;

namespace DPlaneOS.Gateway.Cli;

/// <summary>
/// <c>dplaned snapshot pre-upgrade</c>: called by the NixOS activation and the OTA script before
/// switching systems. Reads the same settings as the daemon (appsettings.json, --config,
/// environment, --data-dir) but starts neither the web host nor the actor system.
/// Exit codes: 0 every pool has its new snapshot; 1 a snapshot could not be taken (or the pools
/// could not be listed); 2 bad settings. Both callers refuse to upgrade on a non-zero exit, so an
/// old snapshot that cannot be removed (a clone depends on it, a hold) is a warning on stderr, not
/// a failure: it must not block every later upgrade.
/// </summary>
public static class PreUpgradeSnapshotVerb
{
    public static async Task<int> RunAsync(CommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var options = VerbSettings.Read(commandLine, error);
        if (options is null) return VerbExit.BadInput;

        var snapshots = options.Snapshots;
        if (SettingsError(snapshots) is { } settingsError)
        {
            await error.WriteLineAsync($"dplaned: {settingsError}");
            return VerbExit.BadInput;
        }

        var runner = new CommandRunner();
        var tools = Program.HostToolsFrom(options) with { Timeout = snapshots.CommandTimeout };
        var snapshotter = new PreUpgradeSnapshotter(new ZpoolCommand(runner, tools), new ZfsCommand(runner, tools), TimeProvider.System);
        var run = await snapshotter.RunAsync(snapshots.PreUpgradeKeep, snapshots.PreUpgradePools, cancellationToken);
        return await ReportAsync(run, snapshots.PreUpgradeKeep, output, error);
    }

    /// <summary>Null when the snapshot settings are usable, else what is wrong with which setting.</summary>
    public static string? SettingsError(SnapshotOptions snapshots)
    {
        if (snapshots.PreUpgradeKeep < 1)
            return $"DPlaneOS:Snapshots:PreUpgradeKeep must be at least 1 (the new snapshot), not {snapshots.PreUpgradeKeep}";
        if (snapshots.CommandTimeout <= TimeSpan.Zero)
            return $"DPlaneOS:Snapshots:CommandTimeout must be positive, not {snapshots.CommandTimeout}";
        foreach (var pool in snapshots.PreUpgradePools)
        {
            if (NameRules.PoolNameError(pool) is { } poolError)
                return $"DPlaneOS:Snapshots:PreUpgradePools: '{pool}' is not a pool name: {poolError}";
        }
        return null;
    }

    private static async Task<int> ReportAsync(PreUpgradeRun run, int keep, TextWriter output, TextWriter error)
    {
        if (run.Error is not null)
        {
            await error.WriteLineAsync($"dplaned: no pre-upgrade snapshot taken: {run.Error}");
            return VerbExit.Refused;
        }
        if (run.Pools.Count == 0)
        {
            await output.WriteLineAsync("dplaned: no pools imported; no pre-upgrade snapshot needed");
            return VerbExit.Ok;
        }
        foreach (var pool in run.Pools)
        {
            if (!pool.Taken)
            {
                await error.WriteLineAsync($"dplaned: {pool.Pool}: FAILED: {pool.SnapshotError}");
                continue;
            }
            await output.WriteLineAsync($"dplaned: {pool.Pool}@{run.SnapshotName}: taken recursively ({pool.Datasets} datasets)");
            foreach (var removed in pool.Removed)
                await output.WriteLineAsync($"dplaned: {pool.Pool}: removed {removed} (keeping the newest {keep})");
            foreach (var retentionError in pool.RetentionErrors)
                await error.WriteLineAsync($"dplaned: warning: {pool.Pool}: {retentionError}");
        }
        if (!run.AllTaken)
        {
            await error.WriteLineAsync($"dplaned: pre-upgrade snapshot failed for {run.Pools.Count(p => !p.Taken)} of {run.Pools.Count} pools");
            return VerbExit.Refused;
        }
        return VerbExit.Ok;
    }
}
