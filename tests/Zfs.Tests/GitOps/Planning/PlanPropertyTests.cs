using CsCheck;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOps.Planning;

/// <summary>The safety contract and convergence, checked over generated (desired, live) pairs.</summary>
public sealed class PlanPropertyTests
{
    private static string Show((DesiredState Desired, LiveState Live) pair) =>
        string.Join("\n", PlanBuilder.Build(pair.Desired, pair.Live).Items) + "\n" +
        string.Join("\n", pair.Live.Datasets.Select(d => $"{d.Name} used={d.UsedBytes}"));

    [Fact]
    public void Never_deletes_a_dataset_that_is_not_known_to_be_empty()
    {
        GitOpsGenerators.Pair(withFailures: true).Sample(pair =>
        {
            var (desired, live) = pair;
            var plan = PlanBuilder.Build(desired, live);
            foreach (var item in plan.Items.Where(i => i.Kind == ResourceKind.Dataset && i.Action == PlanAction.Delete))
            {
                var ds = live.Datasets.Single(d => d.Name == item.Name);
                Assert.True(ds.UsedBytes == 0, $"DELETE of {item.Name} with used={ds.UsedBytes}");
            }
        }, iter: 5_000, print: Show);
    }

    [Fact]
    public void Blocked_items_have_no_commands_unless_approval_unlocks_a_destroy()
    {
        GitOpsGenerators.Pair(withFailures: true).Sample(pair =>
        {
            var plan = PlanBuilder.Build(pair.Desired, pair.Live);
            foreach (var item in plan.Items.Where(i => i.Action == PlanAction.Blocked))
            {
                if (item.RequiresApproval)
                {
                    Assert.Equal(ResourceKind.Dataset, item.Kind);
                    Assert.True(pair.Live.Datasets.Single(d => d.Name == item.Name).UsedBytes > 0);
                    Assert.Equal([["zfs", "destroy", "--", item.Name]], item.Commands);
                }
                else
                {
                    Assert.Empty(item.Commands);
                }
            }
        }, iter: 5_000, print: Show);
    }

    [Fact]
    public void Pools_are_never_destroyed_and_protected_datasets_never_touched()
    {
        GitOpsGenerators.Pair(withFailures: true).Sample(pair =>
        {
            var plan = PlanBuilder.Build(pair.Desired, pair.Live);
            Assert.DoesNotContain(plan.Items, i => i.Kind == ResourceKind.Pool && i.Action == PlanAction.Delete);
            Assert.DoesNotContain(plan.Items.SelectMany(i => i.Commands), c => c is ["zpool", "destroy", ..]);
            Assert.DoesNotContain(plan.Items, i => i.Kind == ResourceKind.Dataset && (!i.Name.Contains('/') || i.Name.EndsWith("/dplane-reserved", StringComparison.Ordinal))
                && i.Commands.Any(c => c is ["zfs", "destroy", ..]));
            var active = pair.Live.ActiveShareNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain(plan.Items, i => i.Kind == ResourceKind.Share && i.Action == PlanAction.Delete && active.Contains(i.Name));
        }, iter: 5_000, print: Show);
    }

    [Fact]
    public void Failed_probes_never_leave_a_delete_in_their_scope()
    {
        GitOpsGenerators.Pair(withFailures: true).Sample(pair =>
        {
            var plan = PlanBuilder.Build(pair.Desired, pair.Live);
            foreach (var failure in pair.Live.ProbeFailures)
                Assert.DoesNotContain(plan.Items, i => failure.Covers(i.Kind, i.Name) && i.Action == PlanAction.Delete);
        }, iter: 5_000, print: Show);
    }

    [Fact]
    public void Planning_again_after_applying_a_plan_gives_only_nop_and_the_same_blocks()
    {
        GitOpsGenerators.Pair(withFailures: true).Sample(pair =>
        {
            var first = PlanBuilder.Build(pair.Desired, pair.Live);
            var after = PlanSimulator.Apply(first, pair.Live);
            var second = PlanBuilder.Build(pair.Desired, after);
            Assert.All(second.Items, i => Assert.True(i.Action is PlanAction.Nop or PlanAction.Blocked, $"not converged: {i}"));
            var blockedBefore = first.Items.Where(i => i.Action == PlanAction.Blocked).Select(i => i.Id).ToHashSet();
            Assert.All(second.Items.Where(i => i.Action == PlanAction.Blocked), i => Assert.Contains(i.Id, blockedBefore));
        }, iter: 5_000, print: Show);
    }

    [Fact]
    public void Without_blocks_planning_again_gives_only_nop()
    {
        GitOpsGenerators.Pair(withFailures: false).Sample(pair =>
        {
            var first = PlanBuilder.Build(pair.Desired, pair.Live);
            if (first.Summary.HasBlocked) return;
            var second = PlanBuilder.Build(pair.Desired, PlanSimulator.Apply(first, pair.Live));
            Assert.All(second.Items, i => Assert.Equal(PlanAction.Nop, i.Action));
        }, iter: 5_000, print: Show);
    }

    [Fact]
    public void Plan_id_is_deterministic()
    {
        GitOpsGenerators.Pair(withFailures: true).Sample(pair =>
        {
            var reversed = pair.Live with { Datasets = pair.Live.Datasets.Reverse().ToList(), Pools = pair.Live.Pools.Reverse().ToList() };
            Assert.Equal(Plan.ComputeId(pair.Desired, pair.Live), Plan.ComputeId(pair.Desired, reversed));
        }, iter: 1_000);
    }
}
