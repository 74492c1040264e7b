using System.Collections.Concurrent;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Integration.Tests.GitOps;

/// <summary>
/// Test-only <see cref="ICommandRunner"/> around the real one: records every command line the daemon
/// runs, and can hang (until cancelled) right after one chosen command has really run, to stop the
/// daemon at the worst moment: the step's work is done on the host, its "finished" not yet journalled.
/// </summary>
internal sealed class RecordingRunner(ICommandRunner inner) : ICommandRunner
{
    private static readonly string[] Mutating = ["zpool create", "zpool set", "zpool add", "zpool attach", "zpool destroy", "zfs create", "zfs set", "zfs destroy", "zfs inherit"];

    private readonly ConcurrentQueue<string> _calls = new();
    private Func<string, bool>? _hangAfter;

    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Calls => _calls.ToList();

    /// <summary>Commands that change a pool or dataset, in the order they ran.</summary>
    public IReadOnlyList<string> MutatingCalls => Calls.Where(c => Mutating.Any(m => c.StartsWith(m + " ", StringComparison.Ordinal))).ToList();

    /// <summary>Hang after the first command matching <paramref name="match"/> has run (once).</summary>
    public void HangAfter(Func<string, bool> match) => _hangAfter = match;

    public async Task<HostResult<CommandResult>> RunAsync(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var line = string.Join(' ', command);
        _calls.Enqueue(line);
        var result = await inner.RunAsync(command, timeout, cancellationToken);
        if (_hangAfter is { } hang && hang(line) && Interlocked.CompareExchange(ref _hangAfter, null, hang) == hang)
        {
            Reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return result;
    }
}
