namespace DPlaneOS.Actors.Storage.Docker;

/// <summary>What one guard operation did: nothing when Docker was unreachable, else per container.</summary>
/// <param name="UnreachableError">Set when Docker could not be asked at all; the operation may be retried.</param>
public sealed record DockerOperationResult(string? UnreachableError, IReadOnlyList<ContainerRef> Done, IReadOnlyList<ContainerFailure> Failed)
{
    public static DockerOperationResult Unreachable(string error) => new(error, [], []);
}

/// <summary>
/// The guard's Docker work as plain async methods (run off the actor, results piped back). Every call
/// has a deadline, and no exception escapes: an unreachable Docker is a value the actor retries.
/// </summary>
public sealed class DockerOperations(IDockerEngine engine, DockerOptions options)
{
    /// <summary>Stops every running container the pool's failure affects (per <see cref="DockerOptions.StopMode"/>), in parallel.</summary>
    public async Task<DockerOperationResult> StopAffectedAsync(IReadOnlyList<string> poolMountpoints, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        IReadOnlyList<DockerContainer> running;
        try
        {
            running = await engine.ListRunningAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return DockerOperationResult.Unreachable(Describe(ex));
        }
        var affected = ContainerSelection.Affected(running, options.StopMode, poolMountpoints)
            .Select(c => new ContainerRef(c.Id, c.Name))
            .ToList();
        return await EachAsync(affected, (c, token) => engine.StopAsync(c.Id, options.StopGracePeriod, token), deadline.Token).ConfigureAwait(false);
    }

    /// <summary>Starts the containers again; those already running (started by someone else) count as done.</summary>
    public async Task<DockerOperationResult> StartAsync(IReadOnlyList<ContainerRef> containers, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        HashSet<string> running;
        try
        {
            running = (await engine.ListRunningAsync(deadline.Token).ConfigureAwait(false)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex)
        {
            return DockerOperationResult.Unreachable(Describe(ex));
        }
        var result = await EachAsync(containers.Where(c => !running.Contains(c.Id)).ToList(), (c, token) => engine.StartAsync(c.Id, token), deadline.Token)
            .ConfigureAwait(false);
        return result with { Done = [.. containers.Where(c => running.Contains(c.Id)), .. result.Done] };
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.OperationTimeout);
        return deadline;
    }

    private async Task<DockerOperationResult> EachAsync(
        IReadOnlyList<ContainerRef> containers, Func<ContainerRef, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(containers.Select(async container =>
        {
            try
            {
                await operation(container, cancellationToken).ConfigureAwait(false);
                return (Container: container, Error: (string?)null);
            }
            catch (Exception ex)
            {
                return (Container: container, Error: Describe(ex));
            }
        })).ConfigureAwait(false);
        return new DockerOperationResult(
            null,
            outcomes.Where(o => o.Error is null).Select(o => o.Container).ToList(),
            outcomes.Where(o => o.Error is not null).Select(o => new ContainerFailure(o.Container.Id, o.Container.Name, o.Error!)).ToList());
    }

    /// <summary>
    /// What a faulted or cancelled operation task means to the guard: Docker could not be asked (retried like an
    /// unreachable Docker). The methods above catch what the engine throws; this covers anything else.
    /// </summary>
    public DockerOperationResult Faulted(Exception ex) =>
        DockerOperationResult.Unreachable(Describe(ex is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerExceptions[0] : ex));

    private string Describe(Exception ex) => ex is OperationCanceledException
        ? $"no answer from Docker at {options.Endpoint} within {options.OperationTimeout.TotalSeconds:0.###} s"
        : $"{ex.GetType().Name}: {ex.Message} (Docker at {options.Endpoint})";
}
