using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;

namespace DPlaneOS.Actors.GitOps;

/// <summary>
/// What the GitOps actor decides on (<see cref="GitOpsState.Decide"/>). A request is decided once a plan
/// computed after it arrived is there (<see cref="PlanComputed"/> comes first, then each request of the round
/// with that outcome); <see cref="Reply"/> effects answer the request being decided.
/// </summary>
public abstract record GitOpsInput
{
    private GitOpsInput()
    {
    }

    /// <summary>The journal is replayed: an apply still running was cut short by a restart.</summary>
    public sealed record Recovered : GitOpsInput
    {
        public static readonly Recovered Instance = new();
    }

    /// <summary>A plan was computed: it is remembered, so a plan handed out a moment ago stays valid while its work is the same.</summary>
    public sealed record PlanComputed(PlanOutcome Outcome) : GitOpsInput;

    /// <summary><see cref="GetPlan"/>.</summary>
    public sealed record PlanRequested(PlanOutcome Outcome) : GitOpsInput;

    /// <summary><see cref="Approve"/>.</summary>
    public sealed record ApproveRequested(string PlanId, IReadOnlyList<string> ItemIds, PlanOutcome Outcome) : GitOpsInput;

    /// <summary><see cref="StartApply"/>; <paramref name="ApplyId"/> is the id the apply gets if it starts.</summary>
    public sealed record ApplyRequested(string PlanId, string ApplyId, PlanOutcome Outcome) : GitOpsInput;

    /// <summary><see cref="CheckNow"/>, <see cref="RunCheck"/> or the check after an apply or a new state.yaml.</summary>
    public sealed record CheckRequested(PlanOutcome Outcome) : GitOpsInput;

    /// <summary>A step the actor ran (<see cref="GitOpsEffect.StartStep"/>) ended, crashed or was cancelled.</summary>
    public sealed record StepFinished(string ApplyId, string ItemId, StepOutcome Outcome) : GitOpsInput;
}
