namespace DPlaneOS.Zfs.Host;

/// <summary>What a finished host command gave back. A non-zero exit is data, not an exception.</summary>
public sealed record CommandResult(
    IReadOnlyList<string> Command,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command line for logs and errors (arguments are never secrets here).</summary>
    public string CommandLine => string.Join(' ', Command);
}
