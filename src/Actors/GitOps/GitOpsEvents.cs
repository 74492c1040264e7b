namespace DPlaneOS.Actors.GitOps;

/// <summary>The MonitorEvent types the GitOps actor and its drift detector publish.</summary>
public static class GitOpsEvents
{
    /// <summary>Info: an apply started; data applyId, planId, steps, items (comma-separated item ids).</summary>
    public const string ApplyStarted = "gitops.apply.started";

    /// <summary>Info, Warning when it failed: one step of an apply ended; data applyId, itemId, action, status, success, message, commands.</summary>
    public const string ApplyStep = "gitops.apply.step";

    /// <summary>Info: every step of an apply ran; data applyId, planId and the step counts.</summary>
    public const string ApplyFinished = "gitops.apply.finished";

    /// <summary>Warning: a step failed and the apply stopped; as <see cref="ApplyFinished"/> plus error.</summary>
    public const string ApplyFailed = "gitops.apply.failed";

    /// <summary>Warning: found at start, the daemon stopped while an apply ran; data applyId, planId, inDoubtItem.</summary>
    public const string ApplyInterrupted = "gitops.apply.interrupted";

    /// <summary>Warning: a drift check failed for a new reason (subject: the state path with <c>#check</c>).</summary>
    public const string CheckFailed = "gitops.check-failed";

    /// <summary>Resolved: a drift check succeeded after a failure, or for the first time since start. Ends <see cref="CheckFailed"/>.</summary>
    public const string CheckOk = "gitops.check-ok";

    /// <summary>Warning: the set of items that differ from state.yaml changed.</summary>
    public const string Drift = "gitops.drift";

    /// <summary>Resolved: the host matches state.yaml again (or at the first check since start). Ends <see cref="Drift"/>.</summary>
    public const string DriftResolved = "gitops.drift-resolved";
}
