using DPlaneOS.Zfs.GitOps.Planning;

namespace DPlaneOS.Zfs.GitOps.Apply;

/// <summary>
/// What apply does with one planned item after re-planning that object from fresh live state.
/// Apply never runs blindly: an object already in the desired state is skipped (so a step
/// interrupted after its command ran is not run again), an object whose situation changed since
/// the reviewed plan is not touched, and a create or modify only runs what is still missing.
/// </summary>
public abstract record StepDecision
{
    private StepDecision()
    {
    }

    public sealed record Skip(string Reason) : StepDecision;

    /// <summary>Run these commands (share items have none: the include file is rewritten instead).</summary>
    public sealed record Run(IReadOnlyList<IReadOnlyList<string>> Commands) : StepDecision;

    public sealed record Conflict(string Reason) : StepDecision;

    /// <param name="planned">The item from the plan the operator applied.</param>
    /// <param name="fresh">The same item re-planned now; null when the object no longer produces one (e.g. it is gone).</param>
    public static StepDecision Decide(PlanItem planned, PlanItem? fresh)
    {
        var removal = planned.Action == PlanAction.Delete || (planned.Action == PlanAction.Blocked && planned.RequiresApproval);
        if (fresh is null)
            return removal ? new Skip($"{planned.Id} is already gone") : new Conflict($"{planned.Id} is no longer in the plan");
        if (fresh.Action == PlanAction.Nop) return new Skip($"{planned.Id} is already in the desired state");

        if (removal)
        {
            // A removal runs only exactly as reviewed (and approved): same action, same commands.
            return fresh.Action == planned.Action && fresh.RequiresApproval == planned.RequiresApproval && SameCommands(fresh.Commands, planned.Commands)
                ? new Run(planned.Commands)
                : Changed(fresh);
        }

        if (planned.Action is not (PlanAction.Create or PlanAction.Modify))
            return new Conflict($"{planned.Id} is {planned.Action} in the plan and cannot be applied");
        if (fresh.Action is not (PlanAction.Create or PlanAction.Modify)) return Changed(fresh);
        // A pool root planned as CREATE (properties set after zpool create) re-plans as MODIFY: fine, as
        // long as nothing new is asked for. Commands already done drop out of the fresh item.
        return fresh.Commands.All(c => planned.Commands.Any(p => p.SequenceEqual(c)))
            ? new Run(fresh.Commands)
            : Changed(fresh);
    }

    private static Conflict Changed(PlanItem fresh) =>
        new($"{fresh.Id} changed since the plan was made; it is now {fresh.Action.ToString().ToUpperInvariant()}: {fresh.Reason}. Plan again");

    private static bool SameCommands(IReadOnlyList<IReadOnlyList<string>> a, IReadOnlyList<IReadOnlyList<string>> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.SequenceEqual(p.Second));
}
