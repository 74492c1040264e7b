using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;
using static DPlaneOS.Integration.Tests.GitOps.GitOpsApi;

namespace DPlaneOS.Integration.Tests.GitOps;

/// <summary>
/// The real daemon with a real zfs-fuse pool refuses a state.yaml that aims at the system or at the
/// daemon itself (issue 9, point 6): 422 with every error by line and column, nothing written.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed class GitOpsStateSafetyOnZfsFuseTests
{
    private static string Yaml(params string[] lines) => string.Join('\n', lines) + "\n";

    private static async Task<List<JsonElement>> RejectedAsync(DaemonFixture daemon, string yaml)
    {
        var response = await daemon.Client(daemon.Token).PutAsync("/api/gitops/state", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ExpectAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.False(File.Exists(Path.Combine(daemon.DataDir, "state.yaml")), "a refused state.yaml must not be written");
        return problem.GetProperty("errors").EnumerateArray().ToList();
    }

    private static (int Line, int Column, string Path) Where(JsonElement error) =>
        (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("path").GetString()!);

    private static string Message(JsonElement error) => error.GetProperty("message").GetString()!;

    [Fact]
    public async Task A_mountpoint_at_etc_an_unknown_pool_property_altroot_and_a_share_of_the_data_dir_are_refused_with_their_places()
    {
        await using var pool = await LabPool.CreateAsync();
        var p = pool.Name;
        await using var daemon = await DaemonFixture.StartAsync(dataDir: Directory.CreateTempSubdirectory("dplaned-gitops-safety-").FullName);

        var etc = Assert.Single(await RejectedAsync(daemon, Yaml("version: 1", "datasets:", $"  - name: {p}/x", "    mountpoint: /etc")));
        Assert.Equal((4, 17, "datasets[0].mountpoint"), Where(etc));
        Assert.Contains("mountpoint '/etc' is refused", Message(etc));

        string[] poolHead = ["version: 1", "pools:", $"  - name: {p}", "    vdev_type: mirror", "    disks:", .. pool.Disks.Select(d => $"      - {d}")];
        var line = poolHead.Length + 2;
        var properties = await RejectedAsync(daemon, Yaml([.. poolHead, "    properties:", "      frobnicate: \"on\"", "      altroot: /"]));
        Assert.Equal([(line, 7, "pools[0].properties.frobnicate"), (line + 1, 7, "pools[0].properties.altroot")], properties.Select(Where));
        Assert.Contains("not a pool property state.yaml may set", Message(properties[0]));
        Assert.Contains("altroot", Message(properties[1]));

        var dataDir = Assert.Single(await RejectedAsync(daemon, Yaml("version: 1", "shares:", "  - name: keys", $"    path: {daemon.DataDir}")));
        Assert.Equal((4, 11, "shares[0].path"), Where(dataDir));
        Assert.Contains("the daemon's data dir", Message(dataDir));
    }

    [Fact]
    public async Task The_live_mountpoint_of_a_pool_root_is_its_tree_and_anything_outside_needs_a_prefix()
    {
        await using var pool = await LabPool.CreateAsync();
        var p = pool.Name;
        await using var daemon = await DaemonFixture.StartAsync(dataDir: Directory.CreateTempSubdirectory("dplaned-gitops-safety-").FullName);
        var api = new GitOpsApi(daemon.Client(daemon.Token));

        // zfs-fuse mounts the lab pool at $LAB_ROOT/mnt/<pool>, not /<pool>: the live root mountpoint counts.
        var inside = Yaml("version: 1", "datasets:", $"  - name: {p}/x", $"    mountpoint: {pool.Mountpoint}/elsewhere",
            "shares:", "  - name: g" + p, $"    path: {pool.Mountpoint}/elsewhere");
        await api.PutStateAsync(inside);
        var plan = await api.PlanAsync();
        var create = Items(plan).Single(i => i.GetProperty("id").GetString() == $"dataset:{p}/x");
        Assert.Contains($"mountpoint={pool.Mountpoint}/elsewhere", create.GetProperty("commands")[0].EnumerateArray().Select(a => a.GetString()));

        var outside = Path.Combine(Lab.Root, "outside", p);
        var response = await daemon.Client(daemon.Token).PutAsync("/api/gitops/state",
            new StringContent(Yaml("version: 1", "datasets:", $"  - name: {p}/x", $"    mountpoint: {outside}"), Encoding.UTF8, "application/yaml"));
        var error = Assert.Single((await ExpectAsync(response, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateArray());
        Assert.Equal((4, 17, "datasets[0].mountpoint"), Where(error));
        Assert.Contains($"outside pool '{p}''s mount tree (/{p}, {pool.Mountpoint})", Message(error));
        Assert.Equal(inside, (await api.Client.GetFromJsonAsync<JsonElement>("/api/gitops/state")).GetProperty("content").GetString());
    }
}
