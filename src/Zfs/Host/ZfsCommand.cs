using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Host;

/// <summary><see cref="IZfs"/> over the real <c>zfs</c>.</summary>
public sealed class ZfsCommand(ICommandRunner runner, HostTools tools) : IZfs
{
    public async Task<HostResult<IReadOnlyList<ZfsDatasetProperties>>> GetAsync(
        IReadOnlyList<string> properties, string? recursiveRoot = null, CancellationToken cancellationToken = default)
    {
        if (properties.Count == 0) throw new ArgumentException("At least one property.", nameof(properties));
        foreach (var property in properties) NameRules.RequireProperty(property);
        var command = new List<string> { tools.Zfs, "get", "-Hp", "-o", "name,property,value,source", string.Join(',', properties) };
        if (recursiveRoot is not null)
        {
            NameRules.RequireDataset(recursiveRoot);
            command.Add("-r");
            command.Add(recursiveRoot);
        }
        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        return CommandOutput.Parse(run, text => ZfsGetParser.Parse(text).Map(ZfsDatasetProperties.Group));
    }

    public Task<CommandError?> SnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        ChangeAsync("snapshot", NameRules.RequireSnapshot(dataset, snapshot), recursive, cancellationToken);

    public Task<CommandError?> DestroySnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        ChangeAsync("destroy", NameRules.RequireSnapshot(dataset, snapshot), recursive, cancellationToken);

    private async Task<CommandError?> ChangeAsync(string verb, string target, bool recursive, CancellationToken cancellationToken)
    {
        List<string> command = recursive ? [tools.Zfs, verb, "-r", target] : [tools.Zfs, verb, target];
        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        if (!run.IsOk) return run.Error;
        return run.Value.Succeeded ? null : CommandOutput.Failed(run.Value);
    }
}
