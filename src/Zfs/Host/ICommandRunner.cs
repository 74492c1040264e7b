namespace DPlaneOS.Zfs.Host;

/// <summary>
/// The one way this daemon runs host programs: an argument array (never a shell string),
/// a deadline, cancellation, and captured stdout/stderr.
/// </summary>
public interface ICommandRunner
{
    /// <summary>
    /// Runs <paramref name="command"/>[0] with the rest as arguments. A missing executable, a
    /// deadline or a cancellation is a <see cref="CommandError"/>; a non-zero exit is returned as
    /// a <see cref="CommandResult"/> so callers can read stderr and the exit code.
    /// </summary>
    Task<HostResult<CommandResult>> RunAsync(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default);
}
