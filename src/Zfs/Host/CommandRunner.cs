using System.ComponentModel;
using System.Diagnostics;

namespace DPlaneOS.Zfs.Host;

/// <inheritdoc />
public sealed class CommandRunner : ICommandRunner
{
    // Bounded capture: a runaway tool cannot exhaust the daemon's memory.
    public const int DefaultMaxCapturedChars = 64 * 1024 * 1024;

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly int _maxCapturedChars;

    /// <param name="environment">Extra variables; LANG/LC_ALL=C and TZ=UTC are set so outputs parse the same everywhere.</param>
    /// <param name="maxCapturedChars">Per stream; output beyond it is read and dropped, so the tool never blocks on a full pipe.</param>
    public CommandRunner(IReadOnlyDictionary<string, string>? environment = null, int maxCapturedChars = DefaultMaxCapturedChars)
    {
        _environment = environment ?? new Dictionary<string, string>();
        _maxCapturedChars = maxCapturedChars;
    }

    public async Task<HostResult<CommandResult>> RunAsync(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (command.Count == 0 || string.IsNullOrWhiteSpace(command[0]))
            throw new ArgumentException("A command needs an executable.", nameof(command));

        var commandLine = string.Join(' ', command);
        var startInfo = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        for (var i = 1; i < command.Count; i++) startInfo.ArgumentList.Add(command[i]);
        startInfo.Environment["LANG"] = "C";
        startInfo.Environment["LC_ALL"] = "C";
        // zpool events -H prints wall-clock times without a zone; UTC makes them unambiguous.
        startInfo.Environment["TZ"] = "UTC";
        foreach (var (name, value) in _environment) startInfo.Environment[name] = value;

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new CommandError(CommandErrorKind.NotFound, commandLine, $"cannot start '{command[0]}': {ex.Message}");
        }

        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var stdout = ReadBoundedAsync(process.StandardOutput, _maxCapturedChars, deadline.Token);
        var stderr = ReadBoundedAsync(process.StandardError, _maxCapturedChars, deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var error = await stderr.ConfigureAwait(false);
            return HostResult<CommandResult>.Ok(new CommandResult(command, process.ExitCode, output, error, stopwatch.Elapsed));
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            return cancellationToken.IsCancellationRequested
                ? new CommandError(CommandErrorKind.Cancelled, commandLine, "cancelled")
                : new CommandError(CommandErrorKind.TimedOut, commandLine, $"no answer within {timeout.TotalSeconds:0.###} s; killed");
        }
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader, int maxChars, CancellationToken token)
    {
        var buffer = new char[16 * 1024];
        var text = new System.Text.StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), token).ConfigureAwait(false)) > 0)
        {
            if (text.Length < maxChars) text.Append(buffer, 0, Math.Min(read, maxChars - text.Length));
        }
        return text.ToString();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }
}
