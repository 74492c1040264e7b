using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Apply;

/// <summary>Runs one plan item on the host, re-checking live state first (see <see cref="StepDecision"/>).</summary>
public interface IApplyStepExecutor
{
    Task<StepOutcome> ExecuteAsync(DesiredState desired, PlanItem planned, CancellationToken cancellationToken);
}
