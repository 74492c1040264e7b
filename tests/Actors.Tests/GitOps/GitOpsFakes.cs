using System.Collections.Concurrent;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Live;

namespace DPlaneOS.Actors.Tests.GitOps;

/// <summary>A host whose live state the test sets; reads can be held at a gate.</summary>
internal sealed class FakeLiveReader(LiveState state) : ILiveStateReader
{
    public volatile LiveState State = state;

    /// <summary>While set, reads take the state at call time and then wait for it.</summary>
    public volatile TaskCompletionSource? Gate;

    /// <summary>Completed when a read has taken its state and waits at the gate.</summary>
    public TaskCompletionSource AtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<LiveState> ReadAsync(CancellationToken cancellationToken)
    {
        var snapshot = State;
        if (Gate is { } gate)
        {
            AtGate.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        return snapshot;
    }

    public Task<LiveState> ReadForAsync(ResourceKind kind, string name, CancellationToken cancellationToken) => ReadAsync(cancellationToken);
}

/// <summary>Records the items it was asked to apply; answers Done unless told otherwise; can hang on one item until cancelled.</summary>
internal sealed class FakeExecutor : IApplyStepExecutor
{
    private readonly ConcurrentQueue<string> _executed = new();

    public IReadOnlyList<string> Executed => _executed.ToList();

    public Func<PlanItem, StepOutcome> Outcome { get; set; } = item => new StepOutcome(StepStatus.Done, $"did {item.Id}", [string.Join(' ', item.Commands.FirstOrDefault() ?? [])]);

    public string? HangOn { get; set; }

    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<StepOutcome> ExecuteAsync(DesiredState desired, PlanItem planned, CancellationToken cancellationToken)
    {
        _executed.Enqueue(planned.Id);
        if (planned.Id == HangOn)
        {
            Reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return Outcome(planned);
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
