using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.Actors.Node;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Integration.Tests.Persistence;

/// <summary>
/// Renaming the host keeps the journals: the real daemon (a child process) runs in a UTS namespace of
/// its own (<c>unshare --uts</c>, which needs root and changes nothing else), so the host name it reads
/// really changes between two starts on one data dir. The journal an earlier version left (persistence
/// ids ending in the host name, no <c>node-identity</c> file) is recovered after the upgrade and after a
/// later rename; an earlier version, which put the host name of the moment in every id, recovered nothing
/// after the rename.
/// </summary>
public sealed class NodeIdentityTests
{
    /// <summary>Runs the daemon with the host name <paramref name="hostName"/>.</summary>
    private static string[] HostNamed(string hostName) =>
        ["unshare", "--uts", "--fork", "--kill-child", "sh", "-c", "hostname \"$0\" && exec \"$@\"", hostName];

    private static async Task<IReadOnlyList<(string Version, string Host)>> StartsAsync(DaemonProcess daemon)
    {
        using var client = daemon.Client();
        var starts = await client.GetFromJsonAsync<JsonElement>("/api/system/starts");
        return starts.GetProperty("items").EnumerateArray()
            .Select(s => (s.GetProperty("version").GetString()!, s.GetProperty("host").GetString()!))
            .ToList();
    }

    private static async Task<IReadOnlyList<(string Version, string Host)>> RunOnceAsync(
        string dataDir, string hostName, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await using var daemon = await DaemonProcess.StartAsync(dataDir, settings, launcher: HostNamed(hostName));
        var starts = await StartsAsync(daemon);
        Assert.Equal(0, await daemon.StopAsync());
        return starts;
    }

    [Fact]
    public async Task A_journal_an_earlier_version_wrote_is_recovered_after_the_upgrade_and_after_the_host_is_renamed()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-identity-").FullName;
        // What an earlier version left on host nas-old: two starts journalled under node-lifecycle-nas-old, no identity file.
        await ForeignRows.WriteAsync($"Data Source={Path.Combine(dataDir, "dplaneos.db")}", "SQLite.MS", "node-lifecycle-nas-old",
        [
            new NodeLifecycleActor.Protocol.NodeStarted("0.9", "nas-old", new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero)),
            new NodeLifecycleActor.Protocol.NodeStarted("0.9", "nas-old", new DateTimeOffset(2026, 1, 2, 8, 0, 0, TimeSpan.Zero)),
        ]);
        Assert.False(File.Exists(Path.Combine(dataDir, NodeIdentityFile.FileName)));

        // The upgrade, on the same host: the existing install's ids keep the host name, fixed in node-identity.
        var upgraded = await RunOnceAsync(dataDir, "nas-old");
        Assert.Equal(["nas-old", "nas-old", "nas-old"], upgraded.Select(s => s.Host));
        Assert.Equal(["0.9", "0.9"], upgraded.Skip(1).Select(s => s.Version));

        // The host is renamed: the same journal goes on; this start says the new name.
        var renamed = await RunOnceAsync(dataDir, "nas-new");
        Assert.Equal(["nas-new", "nas-old", "nas-old", "nas-old"], renamed.Select(s => s.Host));
        Assert.Equal(["0.9", "0.9"], renamed.Skip(2).Select(s => s.Version));
        Assert.Equal("nas-old", File.ReadAllText(Path.Combine(dataDir, NodeIdentityFile.FileName)).Trim());
    }

    [Fact]
    public async Task Setting_a_node_name_on_an_installed_node_keeps_its_journals_and_names_its_events()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-identity-").FullName;
        Assert.Equal(["nas-a"], (await RunOnceAsync(dataDir, "nas-a")).Select(s => s.Host));

        var named = await RunOnceAsync(dataDir, "nas-a", new Dictionary<string, string?> { ["DPlaneOS:NodeName"] = "vault" });

        Assert.Equal(["vault", "nas-a"], named.Select(s => s.Host));
        Assert.Equal("nas-a", File.ReadAllText(Path.Combine(dataDir, NodeIdentityFile.FileName)).Trim());
    }
}
