using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Tests.Host;

/// <summary>An <see cref="ICommandRunner"/> that answers each command line from a script and records calls.</summary>
internal sealed class ScriptedRunner(Func<string, (int Exit, string Stdout, string Stderr)> answer) : ICommandRunner
{
    public List<string> Calls { get; } = [];

    public Task<HostResult<CommandResult>> RunAsync(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var line = string.Join(' ', command);
        lock (Calls) Calls.Add(line);
        var (exit, stdout, stderr) = answer(line);
        return Task.FromResult(HostResult<CommandResult>.Ok(new CommandResult(command, exit, stdout, stderr, TimeSpan.Zero)));
    }
}
