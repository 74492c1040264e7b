using System.Text.Json;
using CsCheck;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Actors.Persistence;
using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Planning;
using static DPlaneOS.Actors.GitOps.GitOpsEffect;
using static DPlaneOS.Actors.GitOps.GitOpsJournal;
using static DPlaneOS.Actors.Tests.GitOps.GitOpsPlans;

namespace DPlaneOS.Actors.Tests.GitOps;

/// <summary>
/// Random histories of plans being computed (over a host that changes and a state.yaml that goes missing or
/// invalid), approvals, applies, checks, steps ending well or badly, step results that belong to no running step,
/// time passing beyond the approvals' TTL and restarts (recovery by folding the journal). The effects are checked
/// against the GitOps invariants by a model that only sees the effects.
/// </summary>
public sealed class GitOpsStatePropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly Plan[] Plans =
    [
        Plan("p0", Create("t/a"), Create("t/b"), Removal("t/old")),
        // The same work as p0 under another id (only used bytes moved).
        Plan("p1", Create("t/a"), Create("t/b"), Removal("t/old")),
        Plan("p2", Create("t/c"), Removal("t/old"), Removal("t/old/child")),
        Plan("p3", Create("t/a"), Reminder("old")),
        Plan("p4", Nop("t")),
        Plan("p5", Create("t/d"), Create("t/e"), Nop("t")),
    ];

    private static readonly string[] PlanIds = [.. Plans.Select(p => p.Id), "p-never"];

    /// <summary>A request names one of <see cref="PlanIds"/>, or (from this index on) the plan computed last.</summary>
    private static string PlanId(World world, int index) =>
        index < PlanIds.Length || world.Outcome is not PlanOutcome.Planned planned ? PlanIds[index % PlanIds.Length] : planned.Plan.Id;

    private static readonly string[] ItemIds = ["dataset:t/old", "dataset:t/old/child", "dataset:t/a", "pool:old"];

    private enum Kind
    {
        Compute,
        GetPlan,
        Approve,
        Apply,
        Check,
        Finish,
        FinishForeign,
        Wait,
        Restart,
    }

    private sealed record Op(Kind Kind, int A, int B);

    private static readonly Gen<Op[]> Histories =
        Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 11], Gen.Int[0, 15], (kind, a, b) => new Op(kind, a, b)).Array[1, 80];

    /// <summary>The world around the state: the journal, the clock, the last plan computed and what the effects said so far.</summary>
    private sealed class World
    {
        public GitOpsState State { get; set; } = GitOpsState.Empty;
        public List<IPersistedEvent> Journal { get; } = [];
        public DateTimeOffset Now { get; set; } = T0;
        public PlanOutcome Outcome { get; set; } = Missing(T0);
        public int Applies { get; set; }

        /// <summary>The step the actor runs now.</summary>
        public (string ApplyId, string ItemId)? InFlight { get; set; }

        /// <summary>Results that belong to no running step: steps cut short by a restart, results already taken.</summary>
        public List<(string ApplyId, string ItemId)> Late { get; } = [("zz", "dataset:t/a")];

        public string? Running { get; set; }
        public Dictionary<string, PlannedStep> Steps { get; } = [];
        public HashSet<string> Ran { get; } = [];
        public string? LastStarted { get; set; }
        public List<ItemsApproved> Approvals { get; } = [];
    }

    private static void Run(Op[] ops)
    {
        var world = new World();
        foreach (var op in ops)
        {
            switch (op.Kind)
            {
                case Kind.Compute:
                    world.Outcome = (op.A % (Plans.Length + 2)) switch
                    {
                        var i when i < Plans.Length => Planned(Plans[i], world.Now),
                        var i when i == Plans.Length => Missing(world.Now),
                        _ => Invalid(world.Now),
                    };
                    Take(world, new GitOpsInput.PlanComputed(world.Outcome));
                    break;
                case Kind.GetPlan:
                    Take(world, new GitOpsInput.PlanRequested(world.Outcome));
                    break;
                case Kind.Approve:
                    var items = ItemIds.Where((_, i) => (op.B & (1 << i)) != 0).ToList();
                    Take(world, new GitOpsInput.ApproveRequested(PlanId(world, op.A), items, world.Outcome));
                    break;
                case Kind.Apply:
                    Take(world, new GitOpsInput.ApplyRequested(PlanId(world, op.A), $"a{++world.Applies}", world.Outcome));
                    break;
                case Kind.Check:
                    Take(world, new GitOpsInput.CheckRequested(world.Outcome));
                    break;
                case Kind.Finish when world.InFlight is var (applyId, itemId):
                    world.InFlight = null;
                    // The same result again is late too.
                    world.Late.Add((applyId, itemId));
                    var status = (StepStatus)(op.B % 3);
                    Take(world, new GitOpsInput.StepFinished(applyId, itemId, new StepOutcome(status, $"{status} {itemId}", [])));
                    break;
                case Kind.FinishForeign:
                    // A late result, or one for a step of the running apply that is not running.
                    List<(string ApplyId, string ItemId)> foreign =
                        [.. world.Late, .. world.Steps.Keys.Select(id => (world.Running ?? "none", id)).Where(r => r != world.InFlight)];
                    var (lateApply, lateItem) = foreign[op.B % foreign.Count];
                    var before = world.State;
                    var ignored = before.Decide(new GitOpsInput.StepFinished(lateApply, lateItem, new StepOutcome(StepStatus.Done, "late", [])), world.Now, Settings);
                    Assert.Empty(ignored.Effects);
                    Assert.Same(before, ignored.State);
                    break;
                case Kind.Wait:
                    world.Now += TimeSpan.FromMinutes(10 * op.B);
                    break;
                case Kind.Restart:
                    if (world.InFlight is { } cut) world.Late.Add(cut);
                    world.InFlight = null;
                    world.State = Fold(world.Journal);
                    Take(world, GitOpsInput.Recovered.Instance);
                    break;
            }
        }
    }

    private static GitOpsState Fold(IEnumerable<IPersistedEvent> records) => records.Aggregate(GitOpsState.Empty, (s, r) => s.Apply(r));

    private static void Take(World world, GitOpsInput input)
    {
        var decision = world.State.Decide(input, world.Now, Settings);
        world.State = decision.State;
        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case Persist { Record: var record }:
                    world.Journal.Add(record);
                    Journalled(world, record);
                    break;
                case StartStep start:
                    // One step at a time, of the running apply, the one just journalled as started, never twice.
                    Assert.Null(world.InFlight);
                    Assert.Equal(world.Running, start.ApplyId);
                    Assert.Equal(world.LastStarted, start.Item.Id);
                    Assert.True(world.Steps.TryGetValue(start.Item.Id, out var planned), $"{start.Item.Id} is not a step of {start.ApplyId}");
                    Assert.Equal(planned.Commands, start.Item.Commands);
                    world.InFlight = (start.ApplyId, start.Item.Id);
                    break;
            }
        }

        // Recovery folds the journal: it must give what the live transitions gave.
        Assert.Equal(JsonSerializer.Serialize(Fold(world.Journal).ToSnapshot()), JsonSerializer.Serialize(world.State.ToSnapshot()));
        Assert.Equal(world.Running, world.State.Running?.ApplyId);
        if (world.InFlight is var (applyId, itemId))
            Assert.Equal(ApplyStepStatus.Running, world.State.Running!.Steps.Single(s => s.ItemId == itemId).Status);
        Assert.True(world.InFlight is null || world.InFlight.Value.ApplyId == world.Running);
    }

    private static void Journalled(World world, IPersistedEvent record)
    {
        switch (record)
        {
            case ItemsApproved approved:
                Assert.Equal(world.Now + Settings.ApprovalTtl, approved.ExpiresAt);
                var plan = ((PlanOutcome.Planned)world.Outcome).Plan;
                Assert.All(approved.ItemIds, id => Assert.True(plan.Items.Single(i => i.Id == id).RequiresApproval));
                world.Approvals.Add(approved);
                break;
            case ApplyStarted started:
                // At most one apply at a time.
                Assert.Null(world.Running);
                var applied = ((PlanOutcome.Planned)world.Outcome).Plan;
                var work = PlanComparison.WorkId(applied);
                Assert.Equal(applied.Id, started.PlanId);
                foreach (var step in started.Steps)
                {
                    var item = applied.Items.Single(i => i.Id == step.ItemId);
                    Assert.NotEqual(PlanAction.Nop, item.Action);
                    if (item.Action != PlanAction.Blocked) continue;
                    // A blocked step runs only as an approved removal, approved for this work and not expired now.
                    Assert.True(item.RequiresApproval, $"{item.Id} cannot be approved");
                    Assert.True(step.Approved);
                    Assert.Contains(world.Approvals, a => a.WorkId == work && a.ExpiresAt > world.Now && a.ItemIds.Contains(item.Id));
                }
                Assert.Equal(applied.Items.Count(i => i.Action != PlanAction.Nop), started.Steps.Count);
                world.Running = started.ApplyId;
                world.Steps.Clear();
                foreach (var step in started.Steps) world.Steps[step.ItemId] = step;
                world.Ran.Clear();
                break;
            case StepStarted started:
                Assert.Equal(world.Running, started.ApplyId);
                Assert.True(world.Steps.ContainsKey(started.ItemId));
                Assert.True(world.Ran.Add(started.ItemId), $"{started.ItemId} started twice in {started.ApplyId}");
                world.LastStarted = started.ItemId;
                break;
            case GitOpsJournal.StepFinished finished:
                Assert.Equal(world.Running, finished.ApplyId);
                Assert.Equal(world.LastStarted, finished.ItemId);
                break;
            case ApplyFinished finished:
                Assert.Equal(world.Running, finished.ApplyId);
                // Success means every step ran.
                if (finished.Succeeded) Assert.Equal(world.Steps.Count, world.Ran.Count);
                world.Running = null;
                break;
            case ApplyInterrupted interrupted:
                Assert.Equal(world.Running, interrupted.ApplyId);
                world.Running = null;
                break;
        }
    }

    [Fact]
    public void The_gitops_invariants_hold_for_any_history() =>
        Histories.Sample(Run, iter: 2000);
}
