using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;

namespace DPlaneOS.Actors.GitOps;

/// <summary>What one computation of a plan gave: a plan over the host as read, or why there is none.</summary>
public abstract record PlanOutcome
{
    private PlanOutcome()
    {
    }

    public sealed record Planned(DesiredState Desired, LiveState Live, Plan Plan, DateTimeOffset At) : PlanOutcome;

    public sealed record NotUsable(StateNotUsable Problem, DateTimeOffset At) : PlanOutcome;
}
