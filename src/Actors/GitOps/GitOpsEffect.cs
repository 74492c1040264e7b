using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Actors.GitOps;

/// <summary>What the actor does because of a decision, in order; what follows a <see cref="Persist"/> runs once it is journalled.</summary>
public abstract record GitOpsEffect
{
    private GitOpsEffect()
    {
    }

    public sealed record Persist(IPersistedEvent Record) : GitOpsEffect;

    /// <summary>Answer the request being decided (nothing when it came from no one).</summary>
    public sealed record Reply(object Message) : GitOpsEffect;

    public sealed record Publish(string Type, Severity Severity, string Subject, IReadOnlyDictionary<string, string> Data) : GitOpsEffect;

    /// <summary>Run <paramref name="Item"/> with the executor and feed back <see cref="GitOpsInput.StepFinished"/> for <paramref name="ApplyId"/>.</summary>
    public sealed record StartStep(string ApplyId, DesiredState Desired, PlanItem Item) : GitOpsEffect;

    /// <summary>Tell the drift detector the result of a check.</summary>
    public sealed record ReportCheck(CheckResult Result) : GitOpsEffect;

    /// <summary>Compute a fresh plan and check for drift (after an apply ended: the host changed).</summary>
    public sealed record RefreshPlan : GitOpsEffect
    {
        public static readonly RefreshPlan Instance = new();
    }

    /// <param name="Template">Akka log format (<c>{0}</c>, <c>{1}</c>…).</param>
    public sealed record Log(LogLevel Level, string Template, IReadOnlyList<object> Args) : GitOpsEffect;
}

/// <summary>The state after an input and what to do because of it.</summary>
public sealed record GitOpsDecision(GitOpsState State, IReadOnlyList<GitOpsEffect> Effects);
