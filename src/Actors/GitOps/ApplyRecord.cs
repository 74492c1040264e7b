using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;

namespace DPlaneOS.Actors.GitOps;

public enum ApplyStatus
{
    Running,
    Succeeded,
    Failed,

    /// <summary>The daemon stopped while it ran; a new plan shows what is left.</summary>
    Interrupted,
}

public enum ApplyStepStatus
{
    Pending,
    Running,
    Done,
    Skipped,
    Failed,

    /// <summary>Started when the daemon stopped: it may or may not have acted. Apply re-checks live state, never re-runs blindly.</summary>
    InDoubt,

    /// <summary>Never started because the apply stopped before it.</summary>
    NotRun,
}

/// <summary>One step of an apply and what became of it.</summary>
public sealed record ApplyStepRecord(
    string ItemId,
    PlanAction Action,
    ResourceKind Kind,
    string Name,
    IReadOnlyList<IReadOnlyList<string>> Commands,
    bool Approved,
    ApplyStepStatus Status,
    string? Message,
    IReadOnlyList<string> CommandsRun,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>An apply: the plan it executes, its steps in order, and how it ended.</summary>
public sealed record ApplyRecord(
    string ApplyId,
    string PlanId,
    ApplyStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    IReadOnlyList<ApplyStepRecord> Steps);
