using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.Apply;

namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// The GitOps actor's journal records. An apply is event-sourced: "step started" is persisted
/// before the step runs and "step finished" after, so a restart knows which step was in flight.
/// </summary>
public static class GitOpsJournal
{
    /// <summary>BLOCKED items approved for exactly the work of one plan (<see cref="PlanComparison.WorkId"/>).</summary>
    [PersistedAs("gitops.items-approved.v1")]
    public sealed record ItemsApproved(string PlanId, string WorkId, IReadOnlyList<string> ItemIds, DateTimeOffset At, DateTimeOffset ExpiresAt)
        : IPersistedEvent;

    /// <summary>One step of an apply as planned: the item and the commands the reviewed plan showed.</summary>
    public sealed record PlannedStep(string ItemId, PlanAction Action, ResourceKind Kind, string Name, IReadOnlyList<IReadOnlyList<string>> Commands, bool Approved);

    [PersistedAs("gitops.apply-started.v1")]
    public sealed record ApplyStarted(string ApplyId, string PlanId, IReadOnlyList<PlannedStep> Steps, DateTimeOffset At) : IPersistedEvent;

    [PersistedAs("gitops.step-started.v1")]
    public sealed record StepStarted(string ApplyId, string ItemId, DateTimeOffset At) : IPersistedEvent;

    [PersistedAs("gitops.step-finished.v1")]
    public sealed record StepFinished(string ApplyId, string ItemId, StepStatus Status, string Message, IReadOnlyList<string> CommandsRun, DateTimeOffset At)
        : IPersistedEvent;

    [PersistedAs("gitops.apply-finished.v1")]
    public sealed record ApplyFinished(string ApplyId, bool Succeeded, string? Error, DateTimeOffset At) : IPersistedEvent;

    /// <summary>Found at recovery: the daemon stopped while this apply ran; <paramref name="InDoubtItemId"/> had started and not finished.</summary>
    [PersistedAs("gitops.apply-interrupted.v1")]
    public sealed record ApplyInterrupted(string ApplyId, string? InDoubtItemId, DateTimeOffset At) : IPersistedEvent;

    [PersistedAs("gitops.snapshot.v1")]
    public sealed record Snapshot(IReadOnlyList<ItemsApproved> Approvals, ApplyRecord? LastApply) : IPersistedEvent;
}
