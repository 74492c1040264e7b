using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;
using static DPlaneOS.Integration.Tests.GitOps.GitOpsApi;

namespace DPlaneOS.Integration.Tests.GitOps;

/// <summary>GitOps end to end: the real daemon, real zpool/zfs on zfs-fuse, pools on by-id linked files.</summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class GitOpsOnZfsFuseTests
{
    private static Task<DaemonFixture> StartDaemonAsync(string? dataDir = null, Action<WebApplicationBuilder>? customize = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("dplaned-gitops-").FullName;
        return DaemonFixture.StartAsync(dataDir: dataDir, customize: customize, settings: new Dictionary<string, string>
        {
            // These tests declare no shares: keep the daemon's share file out of the lab smbd's way.
            ["DPlaneOS:GitOps:SambaInclude"] = Path.Combine(dataDir, "shares.conf"),
            // New lab pools are declared with their mountpoint under the lab's mount dir, not /<pool>.
            ["DPlaneOS:GitOps:AllowedPathPrefixes:0"] = Path.Combine(Lab.Root, "mnt"),
        });
    }

    private static string Yaml(params string[] lines) => string.Join('\n', lines) + "\n";

    private static string[] PoolYaml(string name, IEnumerable<string> disks, bool prune = false) =>
    [
        "pools:",
        $"  - name: {name}",
        "    vdev_type: mirror",
        "    disks:",
        .. disks.Select(d => $"      - {d}"),
        $"    prune: {(prune ? "true" : "false")}",
    ];

    private static async Task<string> ZfsGetAsync(string property, string dataset) =>
        (await Lab.HostAsync("zfs", "get", "-Hp", "-o", "value", property, dataset)).Trim();

    private static async Task<bool> DatasetExistsAsync(string dataset)
    {
        var names = await Lab.HostAsync("zfs", "list", "-H", "-o", "name");
        return names.Split('\n', StringSplitOptions.TrimEntries).Contains(dataset);
    }

    private static void AssertAllNop(JsonElement plan)
    {
        Assert.Empty(Work(plan));
        Assert.False(plan.GetProperty("summary").GetProperty("drifted").GetBoolean());
    }

    private static JsonElement AssertSucceeded(JsonElement apply)
    {
        Assert.True(apply.GetProperty("status").GetString() == "succeeded", $"apply did not succeed: {apply}");
        return apply;
    }

    /// <summary>The audit log (built on the event bus) holds the apply: started, one entry per step, finished.</summary>
    private static async Task AssertAuditedAsync(HttpClient client, string applyId, IReadOnlyList<string> items)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/system/audit?limit=200");
            var mine = page.GetProperty("records").EnumerateArray()
                .Where(r => r.GetProperty("details").TryGetProperty("data.applyId", out var id) && id.GetString() == applyId)
                .Reverse().ToList();
            var actions = mine.Select(r => r.GetProperty("action").GetString()).ToList();
            if (actions.LastOrDefault() == "gitops.apply.finished")
            {
                Assert.Equal(["gitops.apply.started", .. items.Select(_ => "gitops.apply.step"), "gitops.apply.finished"], actions);
                Assert.Equal(items, mine.Where(r => r.GetProperty("action").GetString() == "gitops.apply.step").Select(r => r.GetProperty("resource").GetString()));
                Assert.All(mine, r => Assert.True(r.GetProperty("success").GetBoolean()));
                return;
            }

            if (DateTime.UtcNow > deadline) Assert.Fail($"the audit log has no finished apply {applyId}: {string.Join(", ", actions)}");
            await Task.Delay(200);
        }
    }

    private static string[] CreateState(LabDisks disks, string quota) => [
        "version: 1",
        .. PoolYaml(disks.Pool, disks.Paths),
        "datasets:",
        $"  - name: {disks.Pool}",
        $"    mountpoint: {disks.Mountpoint}",
        $"  - name: {disks.Pool}/data",
        $"    quota: {quota}",
        "    compression: gzip",
        $"  - name: {disks.Pool}/data/projects",
        "    atime: off",
    ];

    [Fact]
    public async Task From_nothing_apply_creates_the_pool_and_datasets_then_plans_all_nop_and_a_quota_change_is_one_modify()
    {
        await using var disks = await LabDisks.CreateAsync();
        var p = disks.Pool;
        await using var daemon = await StartDaemonAsync();
        var api = new GitOpsApi(daemon.Client(daemon.Token));

        await api.PutStateAsync(Yaml(CreateState(disks, "64M")));
        var plan = await api.PlanAsync();
        Assert.Equal([$"create pool:{p}", $"create dataset:{p}", $"create dataset:{p}/data", $"create dataset:{p}/data/projects"], Work(plan));
        var create = Items(plan).First().GetProperty("commands")[0].EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["zpool", "create", "--", p, "mirror", .. disks.Paths], create);

        var apply = AssertSucceeded(await api.ApplyAndWaitAsync(plan));
        Assert.All(apply.GetProperty("steps").EnumerateArray(), s => Assert.Equal("done", s.GetProperty("status").GetString()));

        AssertAllNop(await api.PlanAsync());
        Assert.Equal("67108864", await ZfsGetAsync("quota", $"{p}/data"));
        await AssertAuditedAsync(api.Client, apply.GetProperty("applyId").GetString()!,
            [$"pool:{p}", $"dataset:{p}", $"dataset:{p}/data", $"dataset:{p}/data/projects"]);
        Assert.Equal("off", await ZfsGetAsync("atime", $"{p}/data/projects"));
        Assert.Equal(disks.Mountpoint, await ZfsGetAsync("mountpoint", p));

        await api.PutStateAsync(Yaml(CreateState(disks, "128M")));
        // The plan reviewed before the file changed is stale: 409 with the current plan, nothing applied.
        var stale = await ExpectAsync(await api.ApplyRawAsync(plan.GetProperty("planId").GetString()!), HttpStatusCode.Conflict);
        Assert.Equal([$"modify dataset:{p}/data"], Work(stale.GetProperty("plan")));
        Assert.Equal("67108864", await ZfsGetAsync("quota", $"{p}/data"));
        Assert.Equal(stale.GetProperty("plan").GetProperty("planId").GetString(), stale.GetProperty("currentPlanId").GetString());
        var modify = await api.PlanAsync();
        Assert.Equal([$"modify dataset:{p}/data"], Work(modify));
        var item = Items(modify).Single(i => i.GetProperty("action").GetString() == "modify");
        Assert.Equal(["zfs", "set", "quota=134217728", $"{p}/data"], item.GetProperty("commands")[0].EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("67108864", item.GetProperty("changes")[0].GetProperty("from").GetString());

        AssertSucceeded(await api.ApplyAndWaitAsync(modify));
        Assert.Equal("134217728", await ZfsGetAsync("quota", $"{p}/data"));
        AssertAllNop(await api.PlanAsync());
    }

    [Fact]
    public async Task With_prune_a_non_empty_dataset_removed_from_the_file_is_blocked_until_approved_then_destroyed()
    {
        await using var pool = await LabPool.CreateAsync();
        var p = pool.Name;
        await using var daemon = await StartDaemonAsync();
        var api = new GitOpsApi(daemon.Client(daemon.Token));
        string[] both = ["version: 1", .. PoolYaml(p, pool.Disks, prune: true), "datasets:", $"  - name: {p}/keep", $"  - name: {p}/old"];
        await api.PutStateAsync(Yaml(both));
        var create = await api.PlanAsync();
        Assert.Equal([$"create dataset:{p}/keep", $"create dataset:{p}/old"], Work(create));
        AssertSucceeded(await api.ApplyAndWaitAsync(create));

        await File.WriteAllBytesAsync(Path.Combine(pool.Mountpoint, "old", "data.bin"), Enumerable.Range(0, 1 << 20).Select(i => (byte)i).ToArray());
        await Lab.HostAsync("sync");
        await api.PutStateAsync(Yaml(["version: 1", .. PoolYaml(p, pool.Disks, prune: true), "datasets:", $"  - name: {p}/keep"]));

        var blockedPlan = await api.SettledPlanAsync();
        Assert.Equal([$"blocked dataset:{p}/old"], Work(blockedPlan));
        var blocked = Items(blockedPlan).Single(i => i.GetProperty("id").GetString() == $"dataset:{p}/old");
        Assert.True(blocked.GetProperty("requiresApproval").GetBoolean());
        Assert.Equal("critical", blocked.GetProperty("risk").GetString());
        Assert.Contains("holds", blocked.GetProperty("reason").GetString());

        var planId = blockedPlan.GetProperty("planId").GetString()!;
        var refused = await ExpectAsync(await api.ApplyRawAsync(planId), HttpStatusCode.Conflict);
        Assert.Equal($"dataset:{p}/old", Assert.Single(refused.GetProperty("blocked").EnumerateArray()).GetProperty("id").GetString());
        Assert.True(await DatasetExistsAsync($"{p}/old"), "a refused apply must not touch the dataset");

        var keepNotApprovable = await ExpectAsync(await api.ApproveRawAsync(planId, $"dataset:{p}/keep"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("not a removal awaiting approval", keepNotApprovable.GetProperty("detail").GetString());

        var approved = await ExpectAsync(await api.ApproveRawAsync(planId, $"dataset:{p}/old"), HttpStatusCode.OK);
        Assert.Equal([$"dataset:{p}/old"], approved.GetProperty("itemIds").EnumerateArray().Select(i => i.GetString()));
        var approvedPlan = await api.PlanAsync();
        Assert.Contains($"dataset:{p}/old", approvedPlan.GetProperty("approvedItemIds").EnumerateArray().Select(i => i.GetString()));

        var apply = AssertSucceeded(await api.ApplyAndWaitAsync(approvedPlan));
        var step = Assert.Single(apply.GetProperty("steps").EnumerateArray());
        // zfs-fuse answers the first destroy of a mounted dataset with "dataset is busy"; apply retries that (each try is listed).
        var tries = step.GetProperty("commandsRun").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.InRange(tries.Count, 1, 3);
        Assert.All(tries, c => Assert.Equal($"zfs destroy -- {p}/old", c));
        Assert.False(await DatasetExistsAsync($"{p}/old"));
        Assert.True(await DatasetExistsAsync($"{p}/keep"));
        AssertAllNop(await api.PlanAsync());
    }

    [Fact]
    public async Task A_daemon_killed_mid_apply_shows_the_interrupted_apply_replans_only_the_rest_and_runs_no_command_twice()
    {
        await using var disks = await LabDisks.CreateAsync();
        var p = disks.Pool;
        var dataDir = Directory.CreateTempSubdirectory("dplaned-gitops-kill-").FullName;
        var runner = new RecordingRunner(new DPlaneOS.Zfs.Host.CommandRunner());
        void UseRunner(WebApplicationBuilder builder) => builder.Services.AddSingleton<DPlaneOS.Zfs.Host.ICommandRunner>(runner);
        string[] state = ["version: 1", .. PoolYaml(p, disks.Paths), "datasets:", $"  - name: {p}", $"    mountpoint: {disks.Mountpoint}",
            $"  - name: {p}/a", $"  - name: {p}/b", "    quota: 32M", $"  - name: {p}/c"];
        // Hang right after the real 'zfs create … <p>/b' ran: the dataset exists, its step is not journalled as finished.
        runner.HangAfter(line => line.StartsWith("zfs create ", StringComparison.Ordinal) && line.EndsWith($" {p}/b", StringComparison.Ordinal));

        var first = await StartDaemonAsync(dataDir, UseRunner);
        var api = new GitOpsApi(first.Client(first.Token));
        await api.PutStateAsync(Yaml(state));
        var plan = await api.PlanAsync();
        Assert.Equal([$"create pool:{p}", $"create dataset:{p}", $"create dataset:{p}/a", $"create dataset:{p}/b", $"create dataset:{p}/c"], Work(plan));
        await ExpectAsync(await api.ApplyRawAsync(plan.GetProperty("planId").GetString()!), HttpStatusCode.Accepted);
        await runner.Reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await first.DisposeAsync(); // the apply never finishes: its step is cut off mid-flight

        await using var second = await StartDaemonAsync(dataDir, UseRunner);
        api = new GitOpsApi(second.Client(second.Token));
        var interrupted = (await api.StatusAsync()).GetProperty("apply");
        Assert.Equal("interrupted", interrupted.GetProperty("status").GetString());
        var steps = interrupted.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("itemId").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("done", steps[$"pool:{p}"]);
        Assert.Equal("done", steps[$"dataset:{p}/a"]);
        Assert.Equal("inDoubt", steps[$"dataset:{p}/b"]);
        Assert.Equal("notRun", steps[$"dataset:{p}/c"]);

        // The in-doubt create did happen: live state says so, and the new plan holds only what is left.
        var rest = await api.PlanAsync();
        Assert.Equal([$"create dataset:{p}/c"], Work(rest));
        AssertSucceeded(await api.ApplyAndWaitAsync(rest));
        AssertAllNop(await api.PlanAsync());

        var mutating = runner.MutatingCalls;
        Assert.Equal(mutating.Distinct().Count(), mutating.Count);
        Assert.Equal(
            [$"zpool create -- {p} mirror {string.Join(' ', disks.Paths)}", $"zfs set mountpoint={disks.Mountpoint} {p}", $"zfs create -p -- {p}/a",
                $"zfs create -p -o quota=33554432 -- {p}/b", $"zfs create -p -- {p}/c"],
            mutating);
    }

    [Fact]
    public async Task Put_state_validates_first_reports_every_error_with_its_place_and_keeps_the_previous_version()
    {
        await Lab.RequireZfsAsync();
        await using var daemon = await StartDaemonAsync();
        var client = daemon.Client(daemon.Token);
        var api = new GitOpsApi(client);

        var missing = await client.GetFromJsonAsync<JsonElement>("/api/gitops/state");
        Assert.False(missing.GetProperty("exists").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/gitops/plan")).StatusCode);

        var first = Yaml("version: 1", "datasets: []");
        var written = await api.PutStateAsync(first);
        Assert.Null(written.GetProperty("previous").GetString());

        var bad = Yaml("version: 2", "pools:", "  - name: tank", "    vdev_type: mirror", "    disks:", "      - /dev/sda", "      - /dev/disk/by-id/ata-X", "datsets: []");
        var response = await client.PutAsync("/api/gitops/state", new StringContent(bad, Encoding.UTF8, "application/yaml"));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ExpectAsync(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("path").GetString() == "version" && e.GetProperty("line").GetInt32() == 1);
        Assert.Contains(errors, e => e.GetProperty("path").GetString() == "pools[0].disks[0]" && e.GetProperty("line").GetInt32() == 6
                                     && e.GetProperty("column").GetInt32() == 9 && e.GetProperty("message").GetString()!.Contains("by-id"));
        Assert.Contains(errors, e => e.GetProperty("line").GetInt32() == 8 && e.GetProperty("message").GetString()!.Contains("datsets"));
        Assert.Equal(first, (await client.GetFromJsonAsync<JsonElement>("/api/gitops/state")).GetProperty("content").GetString());

        var second = Yaml("version: 1", "shares: []");
        var replaced = await ExpectAsync(await client.PutAsJsonAsync("/api/gitops/state", new { yaml = second }), HttpStatusCode.OK);
        var previousPath = replaced.GetProperty("previous").GetString()!;
        Assert.Equal(first, await File.ReadAllTextAsync(previousPath));
        Assert.Equal(second, await File.ReadAllTextAsync(replaced.GetProperty("path").GetString()!));

        var unsupported = await client.PutAsync("/api/gitops/state", new StringContent(second, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
    }
}
