using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Tests.Host;

public sealed class ZpoolCommandTests
{
    private const string ZfsFuseUsage = "invalid option 'p'\nusage:\n\tlist [-H] [-o property[,...]] [pool] ...\n";

    private static ScriptedRunner ZfsFuse() => new(line => line switch
    {
        "zpool list -Hp -o name" => (2, "", ZfsFuseUsage),
        "zpool status" => (0, Fixture.Read("zpool/zfsfuse-zpool-status-mirror-degraded-offline.txt"), ""),
        "zpool list -H -o name,size,allocated,free,capacity,health" => (0, Fixture.Read("zpool/zfsfuse-zpool-list-H-o-name-size-alloc-free-cap-health.txt"), ""),
        _ => (2, "", $"unexpected: {line}"),
    });

    [Fact]
    public async Task Zfs_fuse_is_detected_once_and_spoken_to_without_p()
    {
        var runner = ZfsFuse();
        var zpool = new ZpoolCommand(runner, new HostTools());
        Assert.Equal(ZfsDialect.ZfsFuse, (await zpool.DialectAsync()).Value);
        var status = await zpool.StatusAsync();
        var list = await zpool.ListAsync();
        Assert.True(status.IsOk, status.Error?.ToString());
        Assert.Equal("DEGRADED", status.Value.Single().State);
        Assert.True(list.IsOk, list.Error?.ToString());
        Assert.Equal(1, runner.Calls.Count(c => c == "zpool list -Hp -o name"));
    }

    [Fact]
    public async Task Events_on_zfs_fuse_are_not_supported_and_nothing_runs()
    {
        var runner = ZfsFuse();
        var events = await new ZpoolCommand(runner, new HostTools()).EventsAsync();
        Assert.Equal(CommandErrorKind.NotSupported, events.Error!.Kind);
        Assert.Contains("not supported by this ZFS", events.Error.Message);
        Assert.DoesNotContain(runner.Calls, c => c.Contains("events"));
    }

    [Fact]
    public async Task OpenZfs_gets_exact_numbers_and_events_are_read_without_clearing()
    {
        var runner = new ScriptedRunner(line => line switch
        {
            "zpool list -Hp -o name" => (0, "tank\n", ""),
            "zpool status -p" => (0, Fixture.Read("zpool/zpool-status-p-mirror-cksum-errors-exact-8219.txt"), ""),
            "zpool events -H" => (0, Fixture.Read("zpool/zpool-events-H-pool-create-history.txt"), ""),
            _ => (2, "", $"unexpected: {line}"),
        });
        var zpool = new ZpoolCommand(runner, new HostTools());
        var status = await zpool.StatusAsync();
        Assert.Equal(8219, status.Value.Single().AllLeaves().Max(l => l.ChecksumErrors));
        var events = await zpool.EventsAsync();
        Assert.True(events.IsOk, events.Error?.ToString());
        Assert.NotEmpty(events.Value);
        Assert.DoesNotContain(runner.Calls, c => c.Contains(" -c"));
    }

    [Fact]
    public async Task No_pools_is_an_empty_list_for_every_query()
    {
        var runner = new ScriptedRunner(line => line switch
        {
            "zpool list -Hp -o name" => (2, "", ZfsFuseUsage),
            "zpool status" or "zpool iostat -v" => (0, "no pools available\n", ""),
            _ => (0, "", ""),
        });
        var zpool = new ZpoolCommand(runner, new HostTools());
        Assert.Empty((await zpool.StatusAsync()).Value);
        Assert.Empty((await zpool.ListAsync()).Value);
        Assert.Empty((await zpool.IostatAsync()).Value);
    }

    [Fact]
    public async Task A_failing_zpool_is_a_typed_error_with_its_message()
    {
        var runner = new ScriptedRunner(line => line == "zpool list -Hp -o name" ? (0, "", "") : (1, "", "internal error: out of memory\n"));
        var status = await new ZpoolCommand(runner, new HostTools()).StatusAsync();
        Assert.Equal(CommandErrorKind.Failed, status.Error!.Kind);
        Assert.Equal("exit 1: internal error: out of memory", status.Error.Message);
    }

    [Fact]
    public async Task Garbage_output_is_unparseable_not_an_exception()
    {
        var runner = new ScriptedRunner(line => line == "zpool list -Hp -o name" ? (0, "", "") : (0, "\u0000\u0001garbage\n  pool: x\n", ""));
        var status = await new ZpoolCommand(runner, new HostTools()).StatusAsync();
        Assert.Equal(CommandErrorKind.Unparseable, status.Error!.Kind);
    }
}
