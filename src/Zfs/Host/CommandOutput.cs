using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Host;

/// <summary>Turns a command's outcome and a parser into one <see cref="HostResult{T}"/>.</summary>
internal static class CommandOutput
{
    public static HostResult<T> Parse<T>(HostResult<CommandResult> run, Func<string, ParseResult<T>> parse)
    {
        if (!run.IsOk) return run.Error;
        var result = run.Value;
        if (!result.Succeeded) return Failed(result);
        var parsed = parse(result.StandardOutput);
        return parsed.IsOk
            ? HostResult<T>.Ok(parsed.Value)
            : new CommandError(CommandErrorKind.Unparseable, result.CommandLine, parsed.Error.ToString(), result.ExitCode);
    }

    public static CommandError Failed(CommandResult result)
    {
        var message = FirstLine(result.StandardError) ?? FirstLine(result.StandardOutput) ?? "no output";
        return new CommandError(CommandErrorKind.Failed, result.CommandLine, $"exit {result.ExitCode}: {message}", result.ExitCode);
    }

    private static string? FirstLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!string.IsNullOrWhiteSpace(line)) return line.Trim();
        }
        return null;
    }
}
