using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>
/// <see cref="ILiveStateReader"/> over the real tools: <c>zpool status</c> (<c>-P</c> on OpenZFS) and
/// <c>zpool get</c> for pools, ONE <c>zfs get -Hp</c> for all datasets (no dataset names on the
/// command line, so thousands of datasets cannot hit E2BIG), the daemon's Samba include file for
/// shares and <c>smbstatus --json</c> for connections. Probes run in parallel; each failure is
/// reported as a <see cref="ProbeFailure"/>, scoped as narrowly as the evidence allows.
/// </summary>
public sealed class LiveStateReader(ICommandRunner runner, IZpool zpool, ISmbStatus smbStatus, HostTools tools, string sambaIncludePath)
    : ILiveStateReader
{
    private sealed record Probe<T>(IReadOnlyList<T> Items, IReadOnlyList<ProbeFailure> Failures)
    {
        public static Probe<T> Failed(ProbeFailure failure) => new([], [failure]);
    }

    public async Task<LiveState> ReadAsync(CancellationToken cancellationToken)
    {
        var dialect = await zpool.DialectAsync(cancellationToken).ConfigureAwait(false);
        var pools = ReadPoolsAsync(dialect, cancellationToken);
        var datasets = ReadAllDatasetsAsync(dialect, pools, cancellationToken);
        var shares = ReadSharesAsync(null, cancellationToken);
        var active = ReadActiveSharesAsync(cancellationToken);
        await Task.WhenAll(pools, datasets, shares, active).ConfigureAwait(false);
        return Combine(pools.Result, datasets.Result, shares.Result, active.Result);
    }

    public async Task<LiveState> ReadForAsync(ResourceKind kind, string name, CancellationToken cancellationToken)
    {
        var none = new Probe<string>([], []);
        switch (kind)
        {
            case ResourceKind.Pool:
                var dialect = await zpool.DialectAsync(cancellationToken).ConfigureAwait(false);
                return Combine(await ReadPoolsAsync(dialect, cancellationToken).ConfigureAwait(false), new Probe<LiveDataset>([], []), new Probe<SmbShare>([], []), none);
            case ResourceKind.Dataset:
                var d = await zpool.DialectAsync(cancellationToken).ConfigureAwait(false);
                var datasets = d.IsOk
                    ? await ReadDatasetsAsync(d.Value, name, cancellationToken).ConfigureAwait(false)
                    : Probe<LiveDataset>.Failed(ProbeFailure.ZfsGet(name, d.Error.ToString()));
                return Combine(new Probe<LivePool>([], []), datasets, new Probe<SmbShare>([], []), none);
            case ResourceKind.Share:
                var shares = ReadSharesAsync(name, cancellationToken);
                var active = ReadActiveSharesAsync(cancellationToken);
                await Task.WhenAll(shares, active).ConfigureAwait(false);
                return Combine(new Probe<LivePool>([], []), new Probe<LiveDataset>([], []), shares.Result, active.Result);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static LiveState Combine(Probe<LivePool> pools, Probe<LiveDataset> datasets, Probe<SmbShare> shares, Probe<string> active) =>
        new(pools.Items, datasets.Items, shares.Items, active.Items.ToHashSet(StringComparer.OrdinalIgnoreCase),
            [.. pools.Failures, .. datasets.Failures, .. shares.Failures, .. active.Failures]);

    private async Task<Probe<LivePool>> ReadPoolsAsync(HostResult<ZfsDialect> dialect, CancellationToken cancellationToken)
    {
        if (!dialect.IsOk) return Probe<LivePool>.Failed(ProbeFailure.ZpoolStatus(null, dialect.Error.ToString()));
        List<string> status = dialect.Value == ZfsDialect.OpenZfs ? [tools.Zpool, "status", "-P"] : [tools.Zpool, "status"];
        var statuses = await RunAsync(status, text => text.Trim() == "no pools available"
            ? ParseResult.Ok<IReadOnlyList<PoolStatus>>([])
            : ZpoolStatusParser.Parse(text), cancellationToken).ConfigureAwait(false);
        if (!statuses.IsOk) return Probe<LivePool>.Failed(ProbeFailure.ZpoolStatus(null, statuses.Error.ToString()));
        if (statuses.Value.Count == 0) return new Probe<LivePool>([], []);

        // zfs-fuse's zpool get knows neither -H nor "all pools"; OpenZFS prints every pool tab-separated.
        List<string> get = dialect.Value == ZfsDialect.OpenZfs
            ? [tools.Zpool, "get", "-Hp", "-o", "name,property,value,source", "all"]
            : [tools.Zpool, "get", "all", .. statuses.Value.Select(p => p.Name)];
        var properties = await RunAsync(get, ZpoolGetParser.Parse, cancellationToken).ConfigureAwait(false);
        var pools = LivePools.From(statuses.Value, properties.IsOk ? properties.Value : []);
        return properties.IsOk
            ? new Probe<LivePool>(pools, [])
            : new Probe<LivePool>(pools, [new ProbeFailure("zpool get", ResourceKind.Pool, null, ProbeImpact.Everything, properties.Error.ToString())]);
    }

    /// <summary>
    /// One <c>zfs get</c> for everything. If it fails (a broken pool makes the whole command exit 1),
    /// each pool is read on its own, so only the broken pool's datasets become unverifiable.
    /// </summary>
    private async Task<Probe<LiveDataset>> ReadAllDatasetsAsync(HostResult<ZfsDialect> dialect, Task<Probe<LivePool>> pools, CancellationToken cancellationToken)
    {
        if (!dialect.IsOk) return Probe<LiveDataset>.Failed(ProbeFailure.ZfsGet(null, dialect.Error.ToString()));
        var all = await ReadDatasetsAsync(dialect.Value, null, cancellationToken).ConfigureAwait(false);
        if (all.Failures.Count == 0) return all;

        var poolProbe = await pools.ConfigureAwait(false);
        if (poolProbe.Failures.Any(f => f.Probe == "zpool status") || poolProbe.Items.Count == 0) return all;
        var perPool = await Task.WhenAll(poolProbe.Items.Select(p => ReadDatasetsAsync(dialect.Value, p.Name, cancellationToken))).ConfigureAwait(false);
        return new Probe<LiveDataset>(perPool.SelectMany(p => p.Items).ToList(), perPool.SelectMany(p => p.Failures).ToList());
    }

    private async Task<Probe<LiveDataset>> ReadDatasetsAsync(ZfsDialect dialect, string? root, CancellationToken cancellationToken)
    {
        List<string> command = [tools.Zfs, "get", "-Hp", "-o", "name,property,value,source"];
        if (dialect == ZfsDialect.OpenZfs) command.AddRange(["-t", "filesystem"]);
        command.Add(string.Join(',', LiveDatasets.Properties(dialect)));
        if (root is not null)
        {
            if (NameRules.CheckDatasetName(root) is { } invalid) return Probe<LiveDataset>.Failed(ProbeFailure.ZfsGet(root, invalid));
            command.AddRange(["-r", "--", root]);
        }

        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        if (!run.IsOk) return Probe<LiveDataset>.Failed(ProbeFailure.ZfsGet(root, run.Error.ToString()));
        var result = run.Value;
        if (!result.Succeeded)
        {
            // The one expected failure: the dataset (or its pool) is not there (yet, or any more).
            if (root is not null && result.StandardError.Contains("does not exist", StringComparison.Ordinal)) return new Probe<LiveDataset>([], []);
            return Probe<LiveDataset>.Failed(ProbeFailure.ZfsGet(root, CommandOutput.Failed(result).ToString()));
        }

        var parsed = ZfsGetParser.Parse(result.StandardOutput);
        return parsed.IsOk
            ? new Probe<LiveDataset>(LiveDatasets.From(ZfsDatasetProperties.Group(parsed.Value), dialect), [])
            : Probe<LiveDataset>.Failed(ProbeFailure.ZfsGet(root, parsed.Error.ToString()));
    }

    private async Task<Probe<SmbShare>> ReadSharesAsync(string? name, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            if (!File.Exists(sambaIncludePath)) return new Probe<SmbShare>([], []);
            text = await File.ReadAllTextAsync(sambaIncludePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Probe<SmbShare>.Failed(ProbeFailure.SambaInclude($"cannot read {sambaIncludePath}: {ex.Message}"));
        }

        var parsed = SambaShareFile.Parse(text);
        if (!parsed.IsOk) return Probe<SmbShare>.Failed(ProbeFailure.SambaInclude($"{sambaIncludePath}: {parsed.Error}"));
        var shares = name is null ? parsed.Value : parsed.Value.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return new Probe<SmbShare>(shares, []);
    }

    private async Task<Probe<string>> ReadActiveSharesAsync(CancellationToken cancellationToken)
    {
        var status = await smbStatus.ReadAsync(cancellationToken).ConfigureAwait(false);
        return status.IsOk
            ? new Probe<string>(status.Value.ActiveShares().ToList(), [])
            : Probe<string>.Failed(ProbeFailure.SmbStatus(status.Error.ToString()));
    }

    private async Task<HostResult<T>> RunAsync<T>(IReadOnlyList<string> command, Func<string, ParseResult<T>> parse, CancellationToken cancellationToken) =>
        CommandOutput.Parse(await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false), parse);
}
