using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Host;

/// <summary>
/// <see cref="ISmartctl"/> over the real <c>smartctl --json</c>. smartctl's exit code is a bitmask:
/// bits 3-7 describe a sick disk and still come with full JSON, so a non-zero exit is parsed,
/// not treated as "unavailable" (the original hid exactly the failing disks that way).
/// </summary>
public sealed class SmartctlCommand(ICommandRunner runner, HostTools tools) : ISmartctl
{
    public async Task<HostResult<SmartReport>> ReadAsync(string devicePath, CancellationToken cancellationToken = default)
    {
        if (NameRules.DevicePathError(devicePath) is { } error)
            throw new ArgumentException($"'{devicePath}': {error}.", nameof(devicePath));
        var run = await runner.RunAsync([tools.Smartctl, "--json", "-a", "--", devicePath], tools.Timeout, cancellationToken).ConfigureAwait(false);
        if (!run.IsOk) return run.Error;
        var parsed = SmartctlJsonParser.Parse(run.Value.StandardOutput);
        return parsed.IsOk
            ? HostResult<SmartReport>.Ok(parsed.Value)
            : new CommandError(CommandErrorKind.Unparseable, run.Value.CommandLine, parsed.Error.ToString(), run.Value.ExitCode);
    }
}
