namespace DPlaneOS.Zfs.GitOps.Apply;

public enum StepStatus
{
    /// <summary>Commands ran and the object is now as state.yaml says.</summary>
    Done,

    /// <summary>Nothing to do: the re-check found the object already done (or already gone).</summary>
    Skipped,

    /// <summary>Not done: a command failed, the object changed since the plan, or the step timed out.</summary>
    Failed,
}

/// <summary>What one apply step did. <paramref name="CommandsRun"/> are the command lines actually started, in order.</summary>
public sealed record StepOutcome(StepStatus Status, string Message, IReadOnlyList<string> CommandsRun);
