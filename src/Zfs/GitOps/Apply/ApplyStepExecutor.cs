using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Apply;

/// <summary>
/// <see cref="IApplyStepExecutor"/> on the host. Per step: re-read that object's live state,
/// re-plan it, decide (<see cref="StepDecision"/>), run only ZFS commands (never <c>zpool destroy</c>)
/// or rewrite the Samba include, then re-read and confirm the object converged. The whole step
/// shares one deadline (<paramref name="stepTimeout"/>). No mountpoint and no share path that
/// <paramref name="paths"/> refuses is ever used, whatever the plan holds (the parser refuses them first).
/// </summary>
public sealed class ApplyStepExecutor(
    ICommandRunner runner, ILiveStateReader reader, SambaIncludeWriter shares, HostTools tools, TimeSpan stepTimeout, PathPolicy paths) : IApplyStepExecutor
{
    private const int BusyAttempts = 3;
    private static readonly TimeSpan BusyPause = TimeSpan.FromSeconds(1);

    public async Task<StepOutcome> ExecuteAsync(DesiredState desired, PlanItem planned, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(stepTimeout);
        var commandsRun = new List<string>();
        try
        {
            var scope = DesiredScope.For(desired, planned.Kind, planned.Name);
            var decision = StepDecision.Decide(planned, await ReplanAsync(scope, planned, deadline.Token).ConfigureAwait(false));
            switch (decision)
            {
                case StepDecision.Skip skip:
                    return new StepOutcome(StepStatus.Skipped, skip.Reason, commandsRun);
                case StepDecision.Conflict conflict:
                    return new StepOutcome(StepStatus.Failed, "not run: " + conflict.Reason, commandsRun);
            }

            var run = (StepDecision.Run)decision;
            var error = planned.Kind == ResourceKind.Share
                ? await ApplyShareAsync(scope, planned, commandsRun, deadline.Token).ConfigureAwait(false)
                : await RunCommandsAsync(run.Commands, commandsRun, deadline.Token).ConfigureAwait(false);
            if (error is not null) return new StepOutcome(StepStatus.Failed, error, commandsRun);

            var after = await ReplanAsync(scope, planned, deadline.Token).ConfigureAwait(false);
            return after is null || after.Action == PlanAction.Nop
                ? new StepOutcome(StepStatus.Done, Describe(planned, commandsRun), commandsRun)
                : new StepOutcome(StepStatus.Failed,
                    $"ran {commandsRun.Count} command(s), but {planned.Id} is still not as state.yaml says: {after.Action.ToString().ToUpperInvariant()} {after.Reason}", commandsRun);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StepOutcome(StepStatus.Failed, $"timed out after {stepTimeout} (DPlaneOS:GitOps:StepTimeout)", commandsRun);
        }
    }

    private async Task<PlanItem?> ReplanAsync(DesiredState scope, PlanItem planned, CancellationToken cancellationToken)
    {
        var live = await reader.ReadForAsync(planned.Kind, planned.Name, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return PlanBuilder.Build(scope, live).Items.FirstOrDefault(i => i.Id == planned.Id);
    }

    private async Task<string?> RunCommandsAsync(IReadOnlyList<IReadOnlyList<string>> commands, List<string> commandsRun, CancellationToken cancellationToken)
    {
        // Every command is checked before the first runs: a step is not left half done by a refusal.
        if (commands.Select(c => Refusal(c) ?? MountpointRefusal(c)).FirstOrDefault(r => r is not null) is { } refusal) return refusal;
        foreach (var command in commands)
        {
            List<string> argv = [command[0] == "zpool" ? tools.Zpool : tools.Zfs, .. command.Skip(1)];
            for (var attempt = 1; ; attempt++)
            {
                commandsRun.Add(string.Join(' ', command));
                var run = await runner.RunAsync(argv, stepTimeout, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (!run.IsOk) return $"{string.Join(' ', command)}: {run.Error}";
                if (run.Value.Succeeded) break;
                if (attempt >= BusyAttempts || !IsBusy(run.Value)) return CommandOutput.Failed(run.Value).ToString();
                await Task.Delay(BusyPause * attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>
    /// "dataset is busy" / "pool is busy" changed nothing and often clears at once: zfs-fuse answers the
    /// first destroy of a mounted dataset that way every time, OpenZFS while a process briefly holds it.
    /// </summary>
    private static bool IsBusy(CommandResult result) => result.StandardError.Contains(" is busy", StringComparison.Ordinal);

    /// <summary>Defence in depth: the planner never emits these, and apply refuses them anyway.</summary>
    public static string? Refusal(IReadOnlyList<string> command)
    {
        if (command.Count < 2 || command[0] is not ("zpool" or "zfs"))
            return $"refused to run '{string.Join(' ', command)}': apply runs only zpool and zfs commands";
        if (command[0] == "zpool" && command[1] is "destroy" or "export" or "labelclear")
            return $"refused to run '{string.Join(' ', command)}': pools are never destroyed or exported by apply";
        if (command[0] == "zfs" && command[1] == "destroy" && !(command is [_, _, "--", var dataset] && NameRules.CheckDatasetName(dataset) is null))
            return $"refused to run '{string.Join(' ', command)}': apply destroys one dataset at a time, without flags ('zfs destroy -- <dataset>')";
        return null;
    }

    /// <summary>A <c>mountpoint=</c> assignment (zfs create -o, zfs set) at a path the policy refuses.</summary>
    private string? MountpointRefusal(IReadOnlyList<string> command) =>
        command.Where(a => a.StartsWith("mountpoint=/", StringComparison.Ordinal))
            .Select(a => a["mountpoint=".Length..])
            .Select(path => paths.Refusal(path) is { } why ? $"refused to run '{string.Join(' ', command)}': mountpoint '{path}' is refused: {why}" : null)
            .FirstOrDefault(r => r is not null);

    private Task<string?> ApplyShareAsync(DesiredState scope, PlanItem planned, List<string> commandsRun, CancellationToken cancellationToken)
    {
        var wanted = scope.Shares.FirstOrDefault();
        if (wanted is not null && planned.Action != PlanAction.Delete
            && (paths.Refusal(wanted.Path) is { } why ? $"share path '{wanted.Path}' is refused: {why}" : MountTrees.SharePathSyntaxError(wanted.Path)) is { } refused)
            return Task.FromResult<string?>($"refused to write share '{wanted.Name}': {refused}");
        return shares.ChangeAsync(current =>
        {
            var others = current.Where(s => !string.Equals(s.Name, planned.Name, StringComparison.OrdinalIgnoreCase));
            if (planned.Action == PlanAction.Delete || wanted is null) return others.ToList();
            // An existing share keeps its place in the file; a new one goes last.
            var index = current.ToList().FindIndex(s => string.Equals(s.Name, planned.Name, StringComparison.OrdinalIgnoreCase));
            var list = current.ToList();
            if (index >= 0) list[index] = wanted;
            else list.Add(wanted);
            return list;
        }, commandsRun, cancellationToken);
    }

    private static string Describe(PlanItem planned, List<string> commandsRun) =>
        commandsRun.Count == 0
            ? $"{planned.Action.ToString().ToUpperInvariant()} {planned.Id}"
            : $"{planned.Action.ToString().ToUpperInvariant()} {planned.Id}: {string.Join("; ", commandsRun)}";
}
