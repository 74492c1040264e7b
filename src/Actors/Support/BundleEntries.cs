using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Actors.Support;

/// <summary>Ready-made <see cref="BundleEntry"/> kinds: a host command's output, a JSON document, a skipped entry.</summary>
public static class BundleEntries
{
    public const string ErrorSuffix = ".error.txt";

    /// <summary>
    /// Runs <paramref name="command"/> through the one command runner. Exit 0: its stdout. Non-zero
    /// exit: its stdout when there is any (smartctl reports sick disks that way) plus
    /// <c>&lt;path&gt;.error.txt</c> with the exit code and stderr. Not installed, timed out or
    /// cancelled: only the error file, or a skip note when <paramref name="skipWhenNotInstalled"/>.
    /// </summary>
    public static BundleEntry Command(
        ICommandRunner runner, string path, IReadOnlyList<string> command, TimeSpan timeout, bool skipWhenNotInstalled = false) =>
        new(path, async ct =>
        {
            var commandLine = string.Join(' ', command);
            var stopwatch = Stopwatch.StartNew();
            var run = await runner.RunAsync(command, timeout, ct).ConfigureAwait(false);
            if (!run.IsOk)
            {
                if (run.Error.Kind == CommandErrorKind.NotFound && skipWhenNotInstalled)
                    return [BundleFile.Skipped(path, $"{command[0]} is not installed", commandLine)];
                var message = $"{run.Error.Kind}: {run.Error.Message}";
                return [new BundleFile(path + ErrorSuffix, ErrorText(commandLine, message, null, "", null), commandLine, null, stopwatch.Elapsed, message)];
            }
            var result = run.Value;
            if (result.Succeeded) return [new BundleFile(path, result.StandardOutput, commandLine, 0, result.Duration, null)];

            var error = $"exit {result.ExitCode}: {FirstLine(result.StandardError) ?? "no message"}";
            var files = new List<BundleFile>();
            if (result.StandardOutput.Length > 0)
                files.Add(new BundleFile(path, result.StandardOutput, commandLine, result.ExitCode, result.Duration, error));
            var outputFile = result.StandardOutput.Length > 0 ? Path.GetFileName(path) : null;
            files.Add(new BundleFile(path + ErrorSuffix, ErrorText(commandLine, error, result.ExitCode, result.StandardError, outputFile),
                commandLine, result.ExitCode, result.Duration, error));
            return files;
        });

    /// <summary>A JSON document made by <paramref name="produce"/>; an exception becomes the error file.</summary>
    public static BundleEntry Json(string path, JsonSerializerOptions json, Func<CancellationToken, Task<object?>> produce) =>
        new(path, async ct =>
        {
            var stopwatch = Stopwatch.StartNew();
            try
            {
                var value = await produce(ct).ConfigureAwait(false);
                return [new BundleFile(path, JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), json) + "\n", null, null, stopwatch.Elapsed, null)];
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return [Failed(path, ex, stopwatch.Elapsed)];
            }
        });

    public static BundleEntry Skip(string path, string reason, string? command = null) =>
        new(path, _ => Task.FromResult<IReadOnlyList<BundleFile>>([BundleFile.Skipped(path, reason, command)]));

    /// <summary>The error file for <paramref name="path"/> after an unexpected exception.</summary>
    public static BundleFile Failed(string path, Exception exception, TimeSpan duration)
    {
        var message = $"{exception.GetType().Name}: {exception.Message}";
        return new BundleFile(path + ErrorSuffix, message + "\n", null, null, duration, message);
    }

    /// <param name="outputFile">Where the command's stdout went, when it printed any.</param>
    private static string ErrorText(string commandLine, string error, int? exitCode, string stderr, string? outputFile)
    {
        var text = new StringBuilder()
            .Append("command: ").AppendLine(commandLine)
            .Append("error: ").AppendLine(error);
        if (exitCode is { } code) text.Append("exit code: ").Append(code).AppendLine();
        if (outputFile is not null) text.Append("stdout: in ").AppendLine(outputFile);
        if (stderr.Length > 0) text.AppendLine("--- stderr ---").Append(stderr);
        return text.ToString();
    }

    private static string? FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
}
