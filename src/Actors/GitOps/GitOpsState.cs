using System.Collections.Immutable;
using System.Globalization;
using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;
using static DPlaneOS.Actors.GitOps.GitOpsJournal;

namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// The GitOps actor's decisions as an immutable value. <see cref="Approvals"/> and <see cref="LastApply"/> are what
/// it remembers across restarts, built only by folding journal records (<see cref="Apply"/>), so recovery gives exactly
/// the state that was persisted. <see cref="RememberedPlans"/>, <see cref="Work"/> and <see cref="LastCheck"/> last for
/// one run of the daemon. <see cref="Decide"/> turns an input into the next state and the effects the actor carries
/// out (journal, run a step, reply, publish); nothing here reads a clock or does I/O.
/// </summary>
public sealed record GitOpsState(IReadOnlyList<ItemsApproved> Approvals, ApplyRecord? LastApply)
{
    /// <summary>How many plans handed out recently stay valid while their work is the same.</summary>
    public const int RememberedPlanCount = 64;

    public static GitOpsState Empty { get; } = new([], null);

    /// <summary>Plan ids handed out recently → their work id (<see cref="PlanComparison.WorkId"/>), oldest first in <see cref="PlanOrder"/>.</summary>
    public ImmutableDictionary<string, string> RememberedPlans { get; init; } = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    public ImmutableQueue<string> PlanOrder { get; init; } = ImmutableQueue<string>.Empty;

    /// <summary>The running apply's inputs; not journalled, because an interrupted apply is never resumed.</summary>
    public ApplyWork? Work { get; init; }

    public CheckResult? LastCheck { get; init; }

    /// <summary>The apply that is running now, if any.</summary>
    public ApplyRecord? Running => LastApply is { Status: ApplyStatus.Running } apply ? apply : null;

    public ApplyStepRecord? NextStep => Running?.Steps.FirstOrDefault(s => s.Status == ApplyStepStatus.Pending);

    public GitOpsState Apply(IPersistedEvent record) => record switch
    {
        // Approvals that had expired when a new one came are dropped, so the list stays short.
        ItemsApproved approved => this with { Approvals = [.. Approvals.Where(a => a.ExpiresAt > approved.At), approved] },
        ApplyStarted started => this with
        {
            LastApply = new ApplyRecord(started.ApplyId, started.PlanId, ApplyStatus.Running, started.At, null, null,
                started.Steps.Select(s => new ApplyStepRecord(s.ItemId, s.Action, s.Kind, s.Name, s.Commands, s.Approved,
                    ApplyStepStatus.Pending, null, [], null, null)).ToList()),
        },
        StepStarted started => WithStep(started.ApplyId, started.ItemId, s => s with { Status = ApplyStepStatus.Running, StartedAt = started.At }),
        StepFinished finished => WithStep(finished.ApplyId, finished.ItemId, s => s with
        {
            Status = finished.Status switch
            {
                StepStatus.Done => ApplyStepStatus.Done,
                StepStatus.Skipped => ApplyStepStatus.Skipped,
                _ => ApplyStepStatus.Failed,
            },
            Message = finished.Message,
            CommandsRun = finished.CommandsRun,
            FinishedAt = finished.At,
        }),
        ApplyFinished finished => WithApply(finished.ApplyId, a => a with
        {
            Status = finished.Succeeded ? ApplyStatus.Succeeded : ApplyStatus.Failed,
            FinishedAt = finished.At,
            Error = finished.Error,
            Steps = a.Steps.Select(s => s.Status == ApplyStepStatus.Pending ? s with { Status = ApplyStepStatus.NotRun } : s).ToList(),
        }),
        ApplyInterrupted interrupted => WithApply(interrupted.ApplyId, a => a with
        {
            Status = ApplyStatus.Interrupted,
            FinishedAt = interrupted.At,
            Error = interrupted.InDoubtItemId is { } item
                ? $"the daemon stopped during step {item}; plan again: live state decides what is left"
                : "the daemon stopped between steps; plan again: live state decides what is left",
            Steps = a.Steps.Select(s => s.Status switch
            {
                ApplyStepStatus.Running => s with { Status = ApplyStepStatus.InDoubt },
                ApplyStepStatus.Pending => s with { Status = ApplyStepStatus.NotRun },
                _ => s,
            }).ToList(),
        }),
        Snapshot snapshot => this with { Approvals = snapshot.Approvals, LastApply = snapshot.LastApply },
        _ => this,
    };

    /// <summary>Item ids approved for plans with this work id that have not expired at <paramref name="now"/>.</summary>
    public IReadOnlySet<string> ApprovedItems(string workId, DateTimeOffset now) =>
        Approvals.Where(a => a.WorkId == workId && a.ExpiresAt > now).SelectMany(a => a.ItemIds).ToHashSet(StringComparer.Ordinal);

    public Snapshot ToSnapshot() => new(Approvals, LastApply);

    /// <summary>Approvals that have not expired at <paramref name="now"/>.</summary>
    public IReadOnlyList<ItemsApproved> LiveApprovals(DateTimeOffset now) => Approvals.Where(a => a.ExpiresAt > now).ToList();

    /// <summary>The requested plan is the fresh one, or one handed out recently that would do exactly the same work.</summary>
    public bool IsCurrent(string requestedPlanId, Plan fresh) =>
        requestedPlanId == fresh.Id || (RememberedPlans.TryGetValue(requestedPlanId, out var work) && work == PlanComparison.WorkId(fresh));

    public StatusView Status(DateTimeOffset now, GitOpsSettings settings) =>
        new(settings.StatePath, settings.SambaInclude, LastCheck, LastApply, LiveApprovals(now));

    public GitOpsDecision Decide(GitOpsInput input, DateTimeOffset now, GitOpsSettings settings)
    {
        var step = new Step(this, settings, now);
        switch (input)
        {
            case GitOpsInput.Recovered: step.Recovered(); break;
            case GitOpsInput.PlanComputed { Outcome: PlanOutcome.Planned planned }: step.Remember(planned.Plan); break;
            case GitOpsInput.PlanRequested requested: step.AnswerPlan(requested.Outcome); break;
            case GitOpsInput.ApproveRequested approve: step.Approve(approve); break;
            case GitOpsInput.ApplyRequested apply: step.StartApply(apply); break;
            case GitOpsInput.CheckRequested check: step.Check(check.Outcome); break;
            case GitOpsInput.StepFinished finished: step.StepFinished(finished); break;
        }
        return new GitOpsDecision(step.State, step.Effects);
    }

    private GitOpsState WithApply(string applyId, Func<ApplyRecord, ApplyRecord> change) =>
        LastApply is { } apply && apply.ApplyId == applyId ? this with { LastApply = change(apply) } : this;

    private GitOpsState WithStep(string applyId, string itemId, Func<ApplyStepRecord, ApplyStepRecord> change) =>
        WithApply(applyId, a =>
        {
            var steps = a.Steps.ToList();
            var index = steps.FindIndex(s => s.ItemId == itemId);
            if (index < 0) return a;
            steps[index] = change(steps[index]);
            return a with { Steps = steps };
        });

    /// <summary>One decision being made: the state so far and the effects so far.</summary>
    private sealed class Step(GitOpsState state, GitOpsSettings settings, DateTimeOffset now)
    {
        public GitOpsState State { get; private set; } = state;

        public List<GitOpsEffect> Effects { get; } = [];

        public void Recovered()
        {
            if (State.Running is not { } apply) return;
            // The daemon stopped mid-apply. Whatever the in-flight step did is visible in live state now;
            // the operator re-plans, and each step re-checks before acting, so nothing runs twice.
            var inDoubt = apply.Steps.FirstOrDefault(s => s.Status == ApplyStepStatus.Running)?.ItemId;
            Record(new ApplyInterrupted(apply.ApplyId, inDoubt, now));
            Effects.Add(new GitOpsEffect.Log(LogLevel.WarningLevel, "GitOps apply {0} was interrupted by a restart (step in doubt: {1})", [apply.ApplyId, inDoubt ?? "none"]));
            Publish(GitOpsEvents.ApplyInterrupted, Severity.Warning, apply.ApplyId, new Dictionary<string, string>
            {
                ["applyId"] = apply.ApplyId,
                ["planId"] = apply.PlanId,
                ["inDoubtItem"] = inDoubt ?? "",
            });
        }

        public void Remember(Plan plan)
        {
            if (State.RememberedPlans.ContainsKey(plan.Id)) return;
            var plans = State.RememberedPlans.SetItem(plan.Id, PlanComparison.WorkId(plan));
            var order = State.PlanOrder.Enqueue(plan.Id);
            while (plans.Count > RememberedPlanCount)
            {
                order = order.Dequeue(out var oldest);
                plans = plans.Remove(oldest);
            }
            State = State with { RememberedPlans = plans, PlanOrder = order };
        }

        /// <summary>Answers a plan request: the plan as the caller sees it (with what is approved), or why there is none.</summary>
        public void AnswerPlan(PlanOutcome outcome) =>
            Reply(outcome is PlanOutcome.Planned planned ? new PlanReady(View(planned)) : ((PlanOutcome.NotUsable)outcome).Problem);

        private PlanView View(PlanOutcome.Planned planned) =>
            PlanView.Of(planned.Plan, planned.Live, State.ApprovedItems(PlanComparison.WorkId(planned.Plan), now), planned.At);

        public void Check(PlanOutcome outcome)
        {
            var result = outcome switch
            {
                PlanOutcome.Planned p => new CheckResult(p.At, settings.StatePath, true, p.Plan.Id, p.Plan.Summary,
                    p.Plan.Items.Where(i => i.Action != PlanAction.Nop).Select(i => new DriftItem(i.Id, i.Action, i.Risk, i.Reason)).ToList(),
                    null, [], p.Live.ProbeFailures),
                PlanOutcome.NotUsable { Problem.Problem: "missing" } n => new CheckResult(n.At, settings.StatePath, false, null, null, [], null, [], []),
                PlanOutcome.NotUsable n => new CheckResult(n.At, settings.StatePath, true, null, null, [], n.Problem.Message, n.Problem.Errors, []),
                _ => throw new InvalidOperationException($"unknown plan outcome {outcome}"),
            };
            State = State with { LastCheck = result };
            Effects.Add(new GitOpsEffect.ReportCheck(result));
            Reply(result);
        }

        public void Approve(GitOpsInput.ApproveRequested request)
        {
            if (CurrentPlan(request.PlanId, request.Outcome) is not { Plan: var plan }) return;
            var problems = new List<string>();
            if (request.ItemIds.Count == 0) problems.Add("itemIds must name at least one plan item");
            foreach (var id in request.ItemIds.Distinct(StringComparer.Ordinal))
            {
                var item = plan.Items.FirstOrDefault(i => i.Id == id);
                if (item is null) problems.Add($"{id}: no such item in plan {plan.Id}");
                else if (!item.RequiresApproval)
                    problems.Add($"{id} is {item.Action.ToString().ToUpperInvariant()}, not a removal awaiting approval: only BLOCKED removals of datasets " +
                                 "that hold data can be approved; other blocked items need a change to state.yaml or to the host");
            }

            if (problems.Count > 0)
            {
                Reply(new ApprovalRejected(plan.Id, problems));
                return;
            }

            var approved = new ItemsApproved(plan.Id, PlanComparison.WorkId(plan), request.ItemIds.Distinct(StringComparer.Ordinal).ToList(), now, now + settings.ApprovalTtl);
            Record(approved);
            Reply(new Approved(approved.PlanId, approved.ItemIds, approved.ExpiresAt));
        }

        public void StartApply(GitOpsInput.ApplyRequested request)
        {
            if (State.Running is { } running)
            {
                Reply(new ApplyAlreadyRunning(running.ApplyId));
                return;
            }

            if (CurrentPlan(request.PlanId, request.Outcome) is not { } planned) return;
            var plan = planned.Plan;
            var approved = State.ApprovedItems(PlanComparison.WorkId(plan), now);
            var blocked = plan.Items.Where(i => i.Action == PlanAction.Blocked && !(i.RequiresApproval && approved.Contains(i.Id))).ToList();
            if (blocked.Count > 0)
            {
                Reply(new ApplyRefused(plan.Id, blocked));
                return;
            }

            // Plan order is the apply order: pools, then datasets (parents first, removals children first), then shares.
            // Every BLOCKED item left is an approved removal.
            var steps = plan.Items
                .Where(i => i.Action != PlanAction.Nop)
                .Select(i => new PlannedStep(i.Id, i.Action, i.Kind, i.Name, i.Commands, i.Action == PlanAction.Blocked))
                .ToList();
            var started = new ApplyStarted(request.ApplyId, plan.Id, steps, now);
            Record(started);
            State = State with { Work = new ApplyWork(started.ApplyId, planned.Desired, plan.Items.ToImmutableDictionary(i => i.Id, StringComparer.Ordinal)) };
            Reply(new ApplyAccepted(started.ApplyId, started.PlanId, started.Steps));
            Publish(GitOpsEvents.ApplyStarted, Severity.Info, started.ApplyId, new Dictionary<string, string>
            {
                ["applyId"] = started.ApplyId,
                ["planId"] = started.PlanId,
                ["steps"] = Invariant(started.Steps.Count),
                ["items"] = string.Join(",", started.Steps.Select(s => s.ItemId)),
            });
            RunNextStep();
        }

        public void StepFinished(GitOpsInput.StepFinished completed)
        {
            // A result that is not the running step's (another apply's, or one already recorded) changes nothing.
            if (State.Running is not { } apply || apply.ApplyId != completed.ApplyId
                || apply.Steps.FirstOrDefault(s => s.ItemId == completed.ItemId) is not { Status: ApplyStepStatus.Running } step) return;
            var outcome = completed.Outcome;
            var finished = new GitOpsJournal.StepFinished(completed.ApplyId, completed.ItemId, outcome.Status, outcome.Message, outcome.CommandsRun, now);
            Record(finished);
            Publish(GitOpsEvents.ApplyStep, finished.Status == StepStatus.Failed ? Severity.Warning : Severity.Info, finished.ItemId, new Dictionary<string, string>
            {
                ["applyId"] = finished.ApplyId,
                ["itemId"] = finished.ItemId,
                ["action"] = step.Action.ToString().ToLowerInvariant(),
                ["status"] = finished.Status.ToString().ToLowerInvariant(),
                // The audit log marks an entry failed on success=false.
                ["success"] = finished.Status == StepStatus.Failed ? "false" : "true",
                ["message"] = finished.Message,
                ["commands"] = string.Join("\n", finished.CommandsRun),
            });
            if (finished.Status != StepStatus.Failed)
            {
                RunNextStep();
                return;
            }

            var error = $"step {finished.ItemId} failed: {finished.Message}";
            Record(new ApplyFinished(finished.ApplyId, false, error, now));
            EndApply(finished.ApplyId, error);
        }

        private void Reply(object message) => Effects.Add(new GitOpsEffect.Reply(message));

        /// <summary>The fresh plan when <paramref name="planId"/> still names its work; otherwise replies why not and returns null.</summary>
        private PlanOutcome.Planned? CurrentPlan(string planId, PlanOutcome outcome)
        {
            if (outcome is not PlanOutcome.Planned planned)
            {
                Reply(((PlanOutcome.NotUsable)outcome).Problem);
                return null;
            }

            if (State.IsCurrent(planId, planned.Plan)) return planned;
            Reply(new PlanStale(planId, View(planned)));
            return null;
        }

        private void RunNextStep()
        {
            var apply = State.Running!;
            if (State.NextStep is not { } next)
            {
                Record(new ApplyFinished(apply.ApplyId, true, null, now));
                EndApply(apply.ApplyId, null);
                return;
            }

            Record(new StepStarted(apply.ApplyId, next.ItemId, now));
            var work = State.Work!;
            Effects.Add(new GitOpsEffect.StartStep(apply.ApplyId, work.Desired, work.Items[next.ItemId]));
        }

        private void EndApply(string applyId, string? error)
        {
            var apply = State.LastApply!;
            var data = new Dictionary<string, string>
            {
                ["applyId"] = applyId,
                ["planId"] = apply.PlanId,
                ["done"] = Count(apply, ApplyStepStatus.Done),
                ["skipped"] = Count(apply, ApplyStepStatus.Skipped),
                ["failed"] = Count(apply, ApplyStepStatus.Failed),
                ["notRun"] = Count(apply, ApplyStepStatus.NotRun),
            };
            if (error is null) Publish(GitOpsEvents.ApplyFinished, Severity.Info, applyId, data);
            else Publish(GitOpsEvents.ApplyFailed, Severity.Warning, applyId, new Dictionary<string, string>(data) { ["error"] = error });
            State = State with { Work = null };
            Effects.Add(GitOpsEffect.RefreshPlan.Instance);
        }

        private void Record(IPersistedEvent record)
        {
            State = State.Apply(record);
            Effects.Add(new GitOpsEffect.Persist(record));
        }

        private void Publish(string type, Severity severity, string subject, IReadOnlyDictionary<string, string> data) =>
            Effects.Add(new GitOpsEffect.Publish(type, severity, subject, data));

        private static string Count(ApplyRecord apply, ApplyStepStatus status) => Invariant(apply.Steps.Count(s => s.Status == status));

        private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>What the running apply works from: the desired state and the plan's items by id.</summary>
public sealed record ApplyWork(string ApplyId, DesiredState Desired, ImmutableDictionary<string, PlanItem> Items);
