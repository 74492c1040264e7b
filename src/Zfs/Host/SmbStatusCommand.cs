using DPlaneOS.Zfs.Samba;

namespace DPlaneOS.Zfs.Host;

/// <summary><see cref="ISmbStatus"/> over the real <c>smbstatus --json</c>.</summary>
public sealed class SmbStatusCommand(ICommandRunner runner, HostTools tools) : ISmbStatus
{
    public async Task<HostResult<SmbStatus>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var command = new List<string> { tools.Smbstatus };
        if (tools.SmbConfig is not null)
        {
            command.Add("-s");
            command.Add(tools.SmbConfig);
        }
        command.Add("--json");
        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        return CommandOutput.Parse(run, SmbStatusParser.Parse);
    }
}
