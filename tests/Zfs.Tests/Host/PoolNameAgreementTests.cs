using System.Text.Json;
using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.Tests.GitOps.State;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Tests.GitOps;

namespace DPlaneOS.Zfs.Tests.Host;

/// <summary>
/// One table of pool names, judged through the two paths that once had their own rules: state.yaml
/// (the GitOps parser) and the capacity path (the emergency reserve behind the capacity routes).
/// Both must accept and refuse exactly the same names.
/// </summary>
public sealed class PoolNameAgreementTests
{
    public static TheoryData<string, bool> Names => new()
    {
        { "tank", true },
        { "Tank", true },
        { "a", true },
        { "my_pool.2-x:y", true },
        { "logs", true },
        { "cachepool", true },
        { "dedupe", true },
        { "c", true },
        { "cx0", true },
        { new string('p', NameRules.MaxPoolName), true },
        { new string('p', NameRules.MaxPoolName + 1), false },
        { "", false },
        { "1tank", false },
        { "-f", false },
        { "-tank", false },
        { ".tank", false },
        { "_tank", false },
        { "mirror", false },
        { "mirror2", false },
        { "raidz", false },
        { "raidz2", false },
        { "draid", false },
        { "draid1", false },
        { "spare", false },
        { "spares", false },
        { "log", false },
        { "cache", false },
        { "special", false },
        { "dedup", false },
        { "c0", false },
        { "c0t0d0", false },
        { "ta nk", false },
        { "tank$x", false },
        { "tank;reboot", false },
        { "tank\n", false },
        { "tank/a", false },
        { "tank@s", false },
        { "t\u00e4nk", false },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task State_yaml_and_the_capacity_path_judge_a_pool_name_alike(string name, bool valid)
    {
        var stateYaml = StateYamlNameError(name);
        var capacity = await CapacityNameErrorAsync(name);

        Assert.Equal(valid, stateYaml is null);
        Assert.Equal(valid, capacity is null);
        Assert.Equal(NameRules.CheckPoolName(name), stateYaml);
        Assert.Equal(NameRules.PoolNameError(name), capacity);
    }

    /// <summary>The parser's error at <c>pools[0].name</c>, if any; the pool is "existing" so no mount tree is checked.</summary>
    private static string? StateYamlNameError(string name)
    {
        var yaml = $"version: 1\npools:\n  - name: {JsonSerializer.Serialize(name)}\n    vdev_type: stripe\n    disks: [{StateYaml.Disk1}]\n";
        var result = StateFileParser.Parse(yaml, new HashSet<string> { name });
        return result.Errors.SingleOrDefault(e => e.Path == "pools[0].name")?.Message;
    }

    /// <summary>What the reserve (capacity routes' back end) says of the name; a valid name gets as far as zpool, which fails here.</summary>
    private static async Task<string?> CapacityNameErrorAsync(string name)
    {
        var runner = new ScriptedRunner(_ => (1, "", "no zpool on this test host"));
        var reserve = new EmergencyReserve(new ZpoolCommand(runner, new HostTools()), new ZfsCommand(runner, new HostTools()));
        var outcome = await reserve.ReserveAsync(name, 2, CancellationToken.None);
        return outcome.Kind == ReserveOutcomeKind.InvalidName ? outcome.Message : null;
    }
}
