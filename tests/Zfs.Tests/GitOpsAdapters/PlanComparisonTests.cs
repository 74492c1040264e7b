using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class PlanComparisonTests
{
    private static readonly DesiredState Desired = new(1,
        [new DesiredPool("tank", VdevType.Mirror, ["/dev/disk/by-id/ata-A", "/dev/disk/by-id/ata-B"], null, new Dictionary<string, string>(), true)],
        [new DesiredDataset("tank/a", QuotaBytes: 1024)], []);

    private static LiveState Live(long usedOfA, long usedOfOld, string quota = "0") => new(
        [new LivePool("tank", VdevType.Mirror, ["/dev/disk/by-id/ata-A", "/dev/disk/by-id/ata-B"], null, new Dictionary<string, string>())],
        [
            new LiveDataset("tank", 10_000, new Dictionary<string, string>()),
            new LiveDataset("tank/a", usedOfA, new Dictionary<string, string> { ["quota"] = quota }),
            new LiveDataset("tank/old", usedOfOld, new Dictionary<string, string>()),
        ], [], new HashSet<string>(), []);

    [Fact]
    public void Moving_used_bytes_change_the_plan_id_but_not_the_work()
    {
        var before = PlanBuilder.Build(Desired, Live(100, 5000));
        var after = PlanBuilder.Build(Desired, Live(900, 7000));
        Assert.NotEqual(before.Id, after.Id);
        Assert.True(PlanComparison.SameWork(before, after));
        Assert.Equal(PlanComparison.WorkId(before), PlanComparison.WorkId(after));
    }

    [Fact]
    public void Different_commands_or_actions_are_different_work()
    {
        var before = PlanBuilder.Build(Desired, Live(100, 5000));
        Assert.False(PlanComparison.SameWork(before, PlanBuilder.Build(Desired, Live(100, 5000, quota: "1024"))));
        // tank/old emptied: BLOCKED (approval needed) became a plain DELETE.
        Assert.False(PlanComparison.SameWork(before, PlanBuilder.Build(Desired, Live(100, 0))));
    }
}
