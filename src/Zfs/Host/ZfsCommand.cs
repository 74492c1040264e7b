using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Host;

/// <summary><see cref="IZfs"/> over the real <c>zfs</c>.</summary>
public sealed class ZfsCommand(ICommandRunner runner, HostTools tools) : IZfs
{
    public async Task<HostResult<IReadOnlyList<ZfsDatasetProperties>>> GetAsync(
        IReadOnlyList<string> properties, string? recursiveRoot = null, CancellationToken cancellationToken = default)
    {
        var command = GetCommand(properties);
        if (recursiveRoot is not null)
        {
            NameRules.RequireDataset(recursiveRoot);
            command.AddRange(["-r", "--", recursiveRoot]);
        }
        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        return CommandOutput.Parse(run, text => ZfsGetParser.Parse(text).Map(ZfsDatasetProperties.Group));
    }

    public async Task<HostResult<ZfsDatasetProperties?>> GetDatasetAsync(
        string dataset, IReadOnlyList<string> properties, CancellationToken cancellationToken = default)
    {
        NameRules.RequireDataset(dataset);
        var command = GetCommand(properties);
        command.AddRange(["--", dataset]);
        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        // "cannot open 'tank/x': dataset does not exist" (exit 1) on OpenZFS and zfs-fuse alike.
        if (run.IsOk && run.Value is { Succeeded: false } failed && failed.StandardError.Contains("dataset does not exist", StringComparison.Ordinal))
            return HostResult<ZfsDatasetProperties?>.Ok(null);
        return CommandOutput.Parse(run, text =>
        {
            var parsed = ZfsGetParser.Parse(text);
            if (!parsed.IsOk) return ParseResult.Fail<ZfsDatasetProperties?>(parsed.Error);
            return ZfsDatasetProperties.Group(parsed.Value).SingleOrDefault(d => d.Name == dataset) is { } found
                ? ParseResult.Ok<ZfsDatasetProperties?>(found)
                : ParseResult.Fail<ZfsDatasetProperties?>(new ParseError("zfs get", $"exit 0 but no row for '{dataset}'"));
        });
    }

    public Task<CommandError?> CreateAsync(string dataset, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default)
    {
        NameRules.RequireDataset(dataset);
        var command = new List<string> { tools.Zfs, "create" };
        foreach (var (property, value) in properties)
        {
            command.Add("-o");
            command.Add(Assignment(property, value));
        }
        command.AddRange(["--", dataset]);
        return RunAsync(command, cancellationToken);
    }

    /// <remarks>No <c>--</c>: zfs-fuse's <c>zfs set</c> has no option parser and would take it for a dataset.</remarks>
    public Task<CommandError?> SetAsync(string dataset, string property, string value, CancellationToken cancellationToken = default)
    {
        NameRules.RequireDataset(dataset);
        return RunAsync([tools.Zfs, "set", Assignment(property, value), dataset], cancellationToken);
    }

    public Task<CommandError?> SnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        ChangeAsync("snapshot", NameRules.RequireSnapshot(dataset, snapshot), recursive, cancellationToken);

    public Task<CommandError?> DestroySnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        ChangeAsync("destroy", NameRules.RequireSnapshot(dataset, snapshot), recursive, cancellationToken);

    private Task<CommandError?> ChangeAsync(string verb, string target, bool recursive, CancellationToken cancellationToken) =>
        RunAsync(recursive ? [tools.Zfs, verb, "-r", "--", target] : [tools.Zfs, verb, "--", target], cancellationToken);

    private List<string> GetCommand(IReadOnlyList<string> properties)
    {
        if (properties.Count == 0) throw new ArgumentException("At least one property.", nameof(properties));
        foreach (var property in properties) NameRules.RequireProperty(property);
        return [tools.Zfs, "get", "-Hp", "-o", "name,property,value,source", string.Join(',', properties)];
    }

    private static string Assignment(string property, string value) =>
        $"{NameRules.RequireProperty(property)}={NameRules.RequirePropertyValue(value)}";

    private async Task<CommandError?> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        if (!run.IsOk) return run.Error;
        return run.Value.Succeeded ? null : CommandOutput.Failed(run.Value);
    }
}
