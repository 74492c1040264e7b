using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Tests.Host;

namespace DPlaneOS.Zfs.Tests.Capacity;

/// <summary>The reserve over the real ZfsCommand/ZpoolCommand, answered with captured zfs-fuse output.</summary>
public sealed class EmergencyReserveTests
{
    private const string GetReserve = "zfs get -Hp -o name,property,value,source refreservation -- capfx/dplane-reserved";

    /// <summary>A zfs-fuse host with pool capfx; <c>Reserve</c> is the dataset's state: null (absent), "0" or bytes.</summary>
    private sealed class Host
    {
        public string? Reserve;
        public string? FailCreate;
        public ScriptedRunner Runner { get; }

        public Host() => Runner = new ScriptedRunner(Answer);

        public EmergencyReserve Subject => new(new ZpoolCommand(Runner, new HostTools()), new ZfsCommand(Runner, new HostTools()));

        private (int, string, string) Answer(string line)
        {
            switch (line)
            {
                case "zpool list -Hp -o name":
                    return (2, "", "invalid option 'p'\nusage:\n");
                case "zpool list -H -o name,size,allocated,free,capacity,health":
                    return (0, Fixture.Read("zfs-fuse/zpool-list-H-o-name-size-allocated-free-capacity-health.txt").Replace("tank", "capfx"), "");
                case "zfs get -Hp -o name,property,value,source used,available -- capfx":
                    return (0, Fixture.Read("zfs-fuse/zfs-get-Hp-used-available-pool-root.txt"), "");
                case GetReserve:
                    return Reserve switch
                    {
                        null => (1, "", Fixture.Read("zfs-fuse/zfs-get-Hp-refreservation-missing.stderr.txt")),
                        "0" => (0, Fixture.Read("zfs-fuse/zfs-get-Hp-refreservation-released.txt"), ""),
                        var bytes => (0, Fixture.Read("zfs-fuse/zfs-get-Hp-refreservation-reserved.txt").Replace("1908408", bytes), ""),
                    };
                case "zfs create -o canmount=off -o refreservation=1908408 -- capfx/dplane-reserved":
                    if (FailCreate is not null) return (1, "", FailCreate);
                    Reserve = "1908408";
                    return (0, "", "");
                case "zfs set refreservation=1908408 capfx/dplane-reserved":
                    Reserve = "1908408";
                    return (0, "", "");
                case "zfs set refreservation=none capfx/dplane-reserved":
                    Reserve = "0";
                    return (0, "", "");
                default:
                    return (2, "", $"unexpected: {line}");
            }
        }
    }

    [Fact]
    public async Task Reserve_creates_an_unmountable_dataset_holding_the_percent_of_usable_space()
    {
        var host = new Host();
        var outcome = await host.Subject.ReserveAsync("capfx", 2, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(("capfx/dplane-reserved", 1908408L, 372736L + 95047680L), (outcome.Dataset, outcome.Bytes!.Value, outcome.UsableBytes!.Value));
        Assert.Contains("zfs create -o canmount=off -o refreservation=1908408 -- capfx/dplane-reserved", host.Runner.Calls);
    }

    [Fact]
    public async Task A_second_reserve_is_refused_and_changes_nothing()
    {
        var host = new Host { Reserve = "1908408" };
        var outcome = await host.Subject.ReserveAsync("capfx", 2, CancellationToken.None);
        Assert.Equal(ReserveOutcomeKind.AlreadyReserved, outcome.Kind);
        Assert.Equal(1908408, outcome.Bytes);
        Assert.DoesNotContain(host.Runner.Calls, c => c.StartsWith("zfs create") || c.StartsWith("zfs set"));
    }

    [Fact]
    public async Task Release_sets_none_keeps_the_dataset_and_reports_the_bytes_freed_then_refuses_a_second_time()
    {
        var host = new Host { Reserve = "1908408" };
        var released = await host.Subject.ReleaseAsync("capfx", CancellationToken.None);
        Assert.True(released.Succeeded, released.Message);
        Assert.Equal(1908408, released.Bytes);
        Assert.Equal("0", host.Reserve);
        Assert.DoesNotContain(host.Runner.Calls, c => c.Contains("destroy"));

        var again = await host.Subject.ReleaseAsync("capfx", CancellationToken.None);
        Assert.Equal(ReserveOutcomeKind.NotReserved, again.Kind);
        Assert.Contains("already released", again.Message);
        Assert.Single(host.Runner.Calls, c => c.StartsWith("zfs set"));
    }

    [Fact]
    public async Task A_released_reserve_is_re_armed_with_set_not_create()
    {
        var host = new Host { Reserve = "0" };
        var outcome = await host.Subject.ReserveAsync("capfx", 2, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Contains("zfs set refreservation=1908408 capfx/dplane-reserved", host.Runner.Calls);
        Assert.DoesNotContain(host.Runner.Calls, c => c.StartsWith("zfs create"));
    }

    [Fact]
    public async Task Releasing_with_no_reserve_is_refused()
    {
        var host = new Host();
        var outcome = await host.Subject.ReleaseAsync("capfx", CancellationToken.None);
        Assert.Equal(ReserveOutcomeKind.NotReserved, outcome.Kind);
        Assert.Contains("does not exist", outcome.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-f")]
    [InlineData("capfx/child")]
    [InlineData("mirror")]
    [InlineData("ca pfx")]
    public async Task A_bad_pool_name_runs_nothing(string pool)
    {
        var host = new Host();
        Assert.Equal(ReserveOutcomeKind.InvalidName, (await host.Subject.ReserveAsync(pool, 2, CancellationToken.None)).Kind);
        Assert.Equal(ReserveOutcomeKind.InvalidName, (await host.Subject.ReleaseAsync(pool, CancellationToken.None)).Kind);
        Assert.Empty(host.Runner.Calls);
    }

    [Fact]
    public async Task An_unknown_pool_is_not_found_and_zfs_is_never_run()
    {
        var host = new Host();
        var outcome = await host.Subject.ReserveAsync("other", 2, CancellationToken.None);
        Assert.Equal(ReserveOutcomeKind.PoolNotFound, outcome.Kind);
        Assert.Contains("'other'", outcome.Message);
        Assert.DoesNotContain(host.Runner.Calls, c => c.StartsWith("zfs"));
    }

    [Fact]
    public async Task No_space_for_the_reserve_is_its_own_outcome()
    {
        var host = new Host { FailCreate = Fixture.Read("zfs-fuse/zfs-create-refreservation-out-of-space.stderr.txt") };
        var outcome = await host.Subject.ReserveAsync("capfx", 2, CancellationToken.None);
        Assert.Equal(ReserveOutcomeKind.OutOfSpace, outcome.Kind);
        Assert.Contains("out of space", outcome.Message);
        Assert.Null(host.Reserve);
    }

    [Fact]
    public async Task Reading_tells_absent_from_failing()
    {
        var runner = new ScriptedRunner(line => line.EndsWith("tank/dplane-reserved", StringComparison.Ordinal)
            ? (1, "", "cannot open 'tank/dplane-reserved': dataset does not exist\n")
            : (1, "", "internal error: failed to initialize ZFS library\n"));
        var reserve = new EmergencyReserve(new ZpoolCommand(runner, new HostTools()), new ZfsCommand(runner, new HostTools()));
        var read = await reserve.ReadAsync(["tank", "broken"], CancellationToken.None);
        Assert.Equal(ReserveState.None, read["tank"].State);
        Assert.Equal(ReserveState.Unknown, read["broken"].State);
        Assert.Contains("failed to initialize ZFS library", read["broken"].Error);
    }
}
