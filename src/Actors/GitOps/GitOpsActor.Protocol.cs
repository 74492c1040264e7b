using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Apply;

namespace DPlaneOS.Actors.GitOps;

public sealed partial class GitOpsActor
{
    public static class Protocol
    {
        /// <summary>Computes a fresh plan; replies <see cref="PlanReady"/> or <see cref="StateNotUsable"/>.</summary>
        public sealed record GetPlan
        {
            public static readonly GetPlan Instance = new();
        }

        /// <summary>Approves BLOCKED removals of the plan <paramref name="PlanId"/>; replies <see cref="Approved"/>, <see cref="PlanStale"/>, <see cref="ApprovalRejected"/> or <see cref="StateNotUsable"/>.</summary>
        public sealed record Approve(string PlanId, IReadOnlyList<string> ItemIds);

        /// <summary>Starts applying <paramref name="PlanId"/>; replies <see cref="ApplyAccepted"/>, <see cref="PlanStale"/>, <see cref="ApplyRefused"/>, <see cref="ApplyAlreadyRunning"/> or <see cref="StateNotUsable"/>.</summary>
        public sealed record StartApply(string PlanId);

        /// <summary>Runs a drift check now; replies <see cref="CheckResult"/>.</summary>
        public sealed record CheckNow
        {
            public static readonly CheckNow Instance = new();
        }

        /// <summary>Replies <see cref="StatusView"/>.</summary>
        public sealed record GetStatus
        {
            public static readonly GetStatus Instance = new();
        }

        /// <summary>Replies <see cref="StateFileContent"/> or <see cref="StateFailed"/>.</summary>
        public sealed record GetState
        {
            public static readonly GetState Instance = new();
        }

        /// <summary>Validates and replaces state.yaml; replies <see cref="StateSaved"/>, <see cref="StateRejected"/> or <see cref="StateFailed"/>.</summary>
        public sealed record PutState(string Yaml);

        /// <summary>From the drift detector's timer: check, and tell it the <see cref="CheckResult"/>.</summary>
        public sealed record RunCheck : IDeadLetterSuppression
        {
            public static readonly RunCheck Instance = new();
        }

        public sealed record PlanReady(PlanView Plan);

        /// <summary><paramref name="Problem"/>: <c>missing</c>, <c>invalid</c> (see <paramref name="Errors"/>) or <c>failed</c>.</summary>
        public sealed record StateNotUsable(string StatePath, string Problem, string Message, IReadOnlyList<StateError> Errors);

        public sealed record Approved(string PlanId, IReadOnlyList<string> ItemIds, DateTimeOffset ExpiresAt);

        public sealed record ApprovalRejected(string PlanId, IReadOnlyList<string> Problems);

        /// <summary>The host or state.yaml changed the work since <paramref name="RequestedPlanId"/> was computed.</summary>
        public sealed record PlanStale(string RequestedPlanId, PlanView Current);

        public sealed record ApplyAccepted(string ApplyId, string PlanId, IReadOnlyList<GitOpsJournal.PlannedStep> Steps);

        /// <summary>BLOCKED items without an approval: apply does nothing until each is resolved or approved.</summary>
        public sealed record ApplyRefused(string PlanId, IReadOnlyList<PlanItem> Blocked);

        public sealed record ApplyAlreadyRunning(string ApplyId);

        public sealed record StateSaved(StateFileWritten Written);

        public sealed record StateRejected(IReadOnlyList<StateError> Errors);

        public sealed record StateFailed(string Message);

        internal sealed record Computed(PlanOutcome Outcome);

        internal sealed record StepCompleted(string ApplyId, string ItemId, StepOutcome Outcome);

        internal sealed record StateValidated(IActorRef ReplyTo, object Reply);
    }
}
