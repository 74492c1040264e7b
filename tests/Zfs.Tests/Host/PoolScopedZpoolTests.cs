using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests.Host;

/// <summary><c>DPlaneOS:Zfs:Pools</c>: a daemon sees only its own pools, read from real multi-pool outputs.</summary>
public sealed class PoolScopedZpoolTests
{
    private sealed class ParsedZpool : IZpool
    {
        public Task<HostResult<ZfsDialect>> DialectAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(HostResult<ZfsDialect>.Ok(ZfsDialect.OpenZfs));

        public Task<HostResult<IReadOnlyList<PoolStatus>>> StatusAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(HostResult<IReadOnlyList<PoolStatus>>.Ok(
                ZpoolStatusParser.Parse(Fixture.Read("zpool/zpool-status-4pools-suspended-degraded-cksum-mixed.txt")).Value));

        public Task<HostResult<IReadOnlyList<ZpoolListEntry>>> ListAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(HostResult<IReadOnlyList<ZpoolListEntry>>.Ok(
                [.. new[] { "backup", "scratch", "stripe", "tank" }.Select(n => new ZpoolListEntry(n, 1, 1, 0, 50, 0, "ONLINE", 1.0, null))]));

        public Task<HostResult<IReadOnlyList<IostatEntry>>> IostatAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(HostResult<IReadOnlyList<IostatEntry>>.Ok(
                ZpoolIostatParser.Parse(Fixture.Read("zpool/zpool-iostat-v-raidz2-special-dedup-log-cache.txt")).Value));

        public Task<HostResult<IReadOnlyList<ZpoolEvent>>> EventsAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(HostResult<IReadOnlyList<ZpoolEvent>>.Ok([
                .. ZpoolEventsParser.Parse(Fixture.Read("zpool/zpool-events-v-checksum-ereports.txt")).Value,
                .. ZpoolEventsParser.Parse(Fixture.Read("zpool/zpool-events-v-offline-fault-spare-removal.txt")).Value,
            ]));
    }

    private static readonly PoolScopedZpool Scoped = new(new ParsedZpool(), ["tank", "stripe"]);

    [Fact]
    public async Task Status_and_list_show_only_the_listed_pools()
    {
        Assert.Equal(["stripe", "tank"], (await Scoped.StatusAsync()).Value.Select(p => p.Name).Order());
        Assert.Equal(["stripe", "tank"], (await Scoped.ListAsync()).Value.Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Iostat_keeps_each_listed_pool_with_every_vdev_row_under_it_and_its_class_rows()
    {
        var all = (await new ParsedZpool().IostatAsync()).Value;
        var kept = (await Scoped.IostatAsync()).Value;
        var tankAt = all.ToList().FindIndex(r => r.Depth == 0 && r.Name == "tank");
        var afterTank = all.Skip(tankAt + 1).ToList().FindIndex(r => r.Depth == 0);
        var tankRows = afterTank < 0 ? all.Skip(tankAt).ToList() : all.Skip(tankAt).Take(afterTank + 1).ToList();

        Assert.Equal(tankRows, kept);
        Assert.Contains(kept, r => r.Class == VdevClass.Log);
        Assert.DoesNotContain(kept, r => r.Name is "backup" or "scratch" or "sdp" or "sdr");
    }

    [Fact]
    public async Task Events_of_other_pools_are_dropped()
    {
        var events = (await Scoped.EventsAsync()).Value;
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("tank", e.Fields["pool"]));
    }

    [Fact]
    public async Task A_failed_read_passes_through_unchanged()
    {
        var failing = new PoolScopedZpool(new FailingZpool(), ["tank"]);
        Assert.Equal(CommandErrorKind.TimedOut, (await failing.StatusAsync()).Error!.Kind);
        Assert.Equal(CommandErrorKind.TimedOut, (await failing.IostatAsync()).Error!.Kind);
    }

    private sealed class FailingZpool : IZpool
    {
        private static readonly CommandError Hung = new(CommandErrorKind.TimedOut, "zpool status", "zpool did not answer within 30 s");

        public Task<HostResult<ZfsDialect>> DialectAsync(CancellationToken cancellationToken = default) => Task.FromResult<HostResult<ZfsDialect>>(Hung);

        public Task<HostResult<IReadOnlyList<PoolStatus>>> StatusAsync(CancellationToken cancellationToken = default) => Task.FromResult<HostResult<IReadOnlyList<PoolStatus>>>(Hung);

        public Task<HostResult<IReadOnlyList<ZpoolListEntry>>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<HostResult<IReadOnlyList<ZpoolListEntry>>>(Hung);

        public Task<HostResult<IReadOnlyList<IostatEntry>>> IostatAsync(CancellationToken cancellationToken = default) => Task.FromResult<HostResult<IReadOnlyList<IostatEntry>>>(Hung);

        public Task<HostResult<IReadOnlyList<ZpoolEvent>>> EventsAsync(CancellationToken cancellationToken = default) => Task.FromResult<HostResult<IReadOnlyList<ZpoolEvent>>>(Hung);
    }
}
