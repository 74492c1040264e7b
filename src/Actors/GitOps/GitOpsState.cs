using DPlaneOS.Actors.Persistence;
using DPlaneOS.Zfs.GitOps.Apply;
using static DPlaneOS.Actors.GitOps.GitOpsJournal;

namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// What the GitOps actor remembers across restarts: live approvals and the last apply. Built only
/// by folding journal records (<see cref="Apply"/>), so recovery gives exactly the state that was persisted.
/// </summary>
public sealed record GitOpsState(IReadOnlyList<ItemsApproved> Approvals, ApplyRecord? LastApply)
{
    public static GitOpsState Empty { get; } = new([], null);

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
        Snapshot snapshot => new GitOpsState(snapshot.Approvals, snapshot.LastApply),
        _ => this,
    };

    /// <summary>Item ids approved for plans with this work id that have not expired at <paramref name="now"/>.</summary>
    public IReadOnlySet<string> ApprovedItems(string workId, DateTimeOffset now) =>
        Approvals.Where(a => a.WorkId == workId && a.ExpiresAt > now).SelectMany(a => a.ItemIds).ToHashSet(StringComparer.Ordinal);

    public Snapshot ToSnapshot() => new(Approvals, LastApply);

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
}
