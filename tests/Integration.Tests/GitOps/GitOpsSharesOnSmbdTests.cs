using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;
using static DPlaneOS.Integration.Tests.GitOps.GitOpsApi;

namespace DPlaneOS.Integration.Tests.GitOps;

/// <summary>
/// GitOps shares against the real lab smbd (scripts/lab/smbd-start.sh, started by scripts/test.sh): the
/// daemon writes the include file that smb.conf includes, testparm checks it, smbcontrol reloads it,
/// and a real smbclient connection blocks the share's removal.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class GitOpsSharesOnSmbdTests
{
    private const int SmbPort = 4450;

    private static string SmbConf =>
        Environment.GetEnvironmentVariable("DPLANEOS_TEST_SMB_CONF") is { Length: > 0 } conf ? conf : Path.Combine(Lab.Root, "samba", "smb.conf");

    private static async Task RequireSmbdAsync()
    {
        if (!File.Exists(SmbConf))
            Assert.Fail($"No lab smb.conf at {SmbConf}: run the tests through scripts/test.sh, which starts smbd (scripts/lab/smbd-start.sh).");
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, SmbPort).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            Assert.Fail($"No smbd listens on 127.0.0.1:{SmbPort} ({ex.Message}): run scripts/lab/smbd-start.sh (scripts/test.sh does).");
        }
    }

    /// <summary>Shares other tests keep in the lab include file, declared as they are so this test leaves them alone.</summary>
    private static IEnumerable<string> ShareYaml(SmbShare share) =>
    [
        $"  - name: {share.Name}",
        $"    path: {share.Path}",
        $"    read_only: {(share.ReadOnly ? "true" : "false")}",
        $"    guest_ok: {(share.GuestOk ? "true" : "false")}",
        .. share.ValidUsers.Count > 0 ? [$"    valid_users: [{string.Join(", ", share.ValidUsers)}]"] : Array.Empty<string>(),
        .. share.Comment.Length > 0 ? [$"    comment: {JsonSerializer.Serialize(share.Comment)}"] : Array.Empty<string>(),
    ];

    private static Process HoldConnection(string share)
    {
        // smbclient keeps the tree connect while it waits for the next command on stdin.
        var start = new ProcessStartInfo("smbclient")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-s", SmbConf, "-p", SmbPort.ToString(), "-N", $"//127.0.0.1/{share}" }) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.StandardInput.WriteLine("ls");
        process.StandardInput.Flush();
        return process;
    }

    private static async Task<bool> ConnectedAsync(string share)
    {
        var json = await Lab.HostAsync("smbstatus", "-s", SmbConf, "--json");
        return DPlaneOS.Zfs.Samba.SmbStatusParser.Parse(json).Value.ActiveShares().Contains(share);
    }

    private static async Task<JsonElement> WaitForPlanAsync(GitOpsApi api, Func<JsonElement, bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var plan = await api.PlanAsync();
            if (condition(plan)) return plan;
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail($"no plan with {what} within 30 s; last: {string.Join(", ", Work(plan))}");
            await Task.Delay(300);
        }
    }

    [Fact]
    public async Task A_share_with_an_open_smb_connection_is_blocked_from_removal_until_the_client_leaves()
    {
        await RequireSmbdAsync();
        var include = Path.Combine(Path.GetDirectoryName(SmbConf)!, "shares.conf");
        var original = File.Exists(include) ? await File.ReadAllTextAsync(include) : null;
        await using var pool = await LabPool.CreateAsync();
        var share = "g" + pool.Name;
        Process? client = null;
        try
        {
            var dataDir = Directory.CreateTempSubdirectory("dplaned-gitops-smb-").FullName;
            await using var daemon = await DaemonFixture.StartAsync(dataDir: dataDir, settings: new Dictionary<string, string>
            {
                ["DPlaneOS:GitOps:SambaInclude"] = include,
                ["DPlaneOS:GitOps:SmbConfig"] = SmbConf,
                // Shares other tests left in the lab include file may point into pools that are gone by now.
                ["DPlaneOS:GitOps:AllowedPathPrefixes:0"] = Path.Combine(Lab.Root, "mnt"),
            });
            var api = new GitOpsApi(daemon.Client(daemon.Token));
            var foreign = original is null ? [] : SambaShareFile.Parse(original).Value;
            string[] head = ["version: 1", "prune_shares: true", "pools:", $"  - name: {pool.Name}", "    vdev_type: mirror", "    disks:",
                .. pool.Disks.Select(d => $"      - {d}")];
            string[] others = foreign.Count == 0 ? ["shares: []"] : ["shares:", .. foreign.SelectMany(ShareYaml)];
            string[] mine = [$"  - name: {share}", $"    path: {pool.Mountpoint}", "    read_only: true", "    guest_ok: true", "    comment: GitOps test share"];

            await api.PutStateAsync(string.Join('\n', [.. head, "shares:", .. foreign.SelectMany(ShareYaml), .. mine]) + "\n");
            var create = await api.PlanAsync();
            Assert.Equal([$"create share:{share}"], Work(create));
            var created = await api.ApplyAndWaitAsync(create);
            Assert.True(created.GetProperty("status").GetString() == "succeeded", created.ToString());
            var commands = Assert.Single(created.GetProperty("steps").EnumerateArray()).GetProperty("commandsRun").EnumerateArray().Select(c => c.GetString()!).ToList();
            Assert.StartsWith("testparm -s ", commands[0]);
            Assert.Equal($"smbcontrol -s {SmbConf} smbd reload-config", commands[1]);
            var written = SambaShareFile.Parse(await File.ReadAllTextAsync(include)).Value;
            Assert.Equal(new SmbShare(share, pool.Mountpoint, true, [], "GitOps test share", true), written.Single(s => s.Name == share) with { ValidUsers = [] });
            Assert.Equal(foreign.Select(s => s.Name), written.Where(s => s.Name != share).Select(s => s.Name));
            Assert.Empty(Work(await api.PlanAsync()));

            client = HoldConnection(share);
            var stopwatch = Stopwatch.StartNew();
            while (!await ConnectedAsync(share))
            {
                if (stopwatch.Elapsed > TimeSpan.FromSeconds(20))
                    Assert.Fail($"smbclient never connected to {share}: {(client.HasExited ? await client.StandardError.ReadToEndAsync() : "still running")}");
                await Task.Delay(200);
            }

            await api.PutStateAsync(string.Join('\n', [.. head, .. others]) + "\n");
            var blockedPlan = await api.PlanAsync();
            Assert.Equal([$"blocked share:{share}"], Work(blockedPlan));
            var blocked = Items(blockedPlan).Single(i => i.GetProperty("id").GetString() == $"share:{share}");
            Assert.Equal("high", blocked.GetProperty("risk").GetString());
            Assert.Contains("active SMB connections", blocked.GetProperty("reason").GetString());
            Assert.False(blocked.GetProperty("requiresApproval").GetBoolean());
            var refused = await ExpectAsync(await api.ApplyRawAsync(blockedPlan.GetProperty("planId").GetString()!), HttpStatusCode.Conflict);
            Assert.Equal($"share:{share}", Assert.Single(refused.GetProperty("blocked").EnumerateArray()).GetProperty("id").GetString());
            await ExpectAsync(await api.ApproveRawAsync(blockedPlan.GetProperty("planId").GetString()!, $"share:{share}"), HttpStatusCode.UnprocessableEntity);
            Assert.Contains($"[{share}]", await File.ReadAllTextAsync(include));

            client.Kill(entireProcessTree: true);
            await client.WaitForExitAsync();
            var deletePlan = await WaitForPlanAsync(api, p => Work(p).SequenceEqual([$"delete share:{share}"]), $"delete share:{share}");
            var removed = await api.ApplyAndWaitAsync(deletePlan);
            Assert.True(removed.GetProperty("status").GetString() == "succeeded", removed.ToString());
            Assert.DoesNotContain($"[{share}]", await File.ReadAllTextAsync(include));
            Assert.Empty(Work(await api.PlanAsync()));
        }
        finally
        {
            if (client is { HasExited: false }) client.Kill(entireProcessTree: true);
            if (original is null) File.Delete(include);
            else await File.WriteAllTextAsync(include, original);
            await Lab.HostAsync("smbcontrol", "-s", SmbConf, "smbd", "reload-config");
        }
    }
}
