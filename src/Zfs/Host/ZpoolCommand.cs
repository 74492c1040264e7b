using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Host;

/// <summary>
/// <see cref="IZpool"/> over the real <c>zpool</c>. The dialect is detected once, on first use, by
/// trying the OpenZFS form (<c>zpool list -Hp</c>); zfs-fuse answers it with a usage error.
/// </summary>
public sealed class ZpoolCommand(ICommandRunner runner, HostTools tools) : IZpool
{
    private static readonly string[] OpenZfsListColumns =
        ["name", "size", "allocated", "free", "capacity", "fragmentation", "health", "dedupratio", "altroot"];

    // zfs-fuse knows neither fragmentation nor -p; sizes come back human (250M).
    private static readonly string[] ZfsFuseListColumns = ["name", "size", "allocated", "free", "capacity", "health"];

    private readonly SemaphoreSlim _detecting = new(1, 1);
    private ZfsDialect? _dialect;

    public async Task<HostResult<ZfsDialect>> DialectAsync(CancellationToken cancellationToken = default)
    {
        if (_dialect is { } known) return HostResult<ZfsDialect>.Ok(known);
        await _detecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_dialect is { } raced) return HostResult<ZfsDialect>.Ok(raced);
            var probe = await runner.RunAsync([tools.Zpool, "list", "-Hp", "-o", "name"], tools.Timeout, cancellationToken).ConfigureAwait(false);
            if (!probe.IsOk) return probe.Error;
            var result = probe.Value;
            if (result.Succeeded)
                _dialect = ZfsDialect.OpenZfs;
            else if (result.ExitCode == 2 || result.StandardError.Contains("invalid option", StringComparison.OrdinalIgnoreCase)
                     || result.StandardError.Contains("usage", StringComparison.OrdinalIgnoreCase))
                _dialect = ZfsDialect.ZfsFuse;
            else
                return CommandOutput.Failed(result);
            return HostResult<ZfsDialect>.Ok(_dialect.Value);
        }
        finally
        {
            _detecting.Release();
        }
    }

    public Task<HostResult<IReadOnlyList<PoolStatus>>> StatusAsync(CancellationToken cancellationToken = default) =>
        RunAsync(d => d == ZfsDialect.OpenZfs ? ["status", "-p"] : ["status"], (_, text) => OrNoPools(text, ZpoolStatusParser.Parse), cancellationToken);

    public Task<HostResult<IReadOnlyList<ZpoolListEntry>>> ListAsync(CancellationToken cancellationToken = default) =>
        RunAsync(
            d => ["list", d == ZfsDialect.OpenZfs ? "-Hp" : "-H", "-o", string.Join(',', Columns(d))],
            (d, text) => OrNoPools(text, t => ZpoolListParser.Parse(t, Columns(d))),
            cancellationToken);

    public Task<HostResult<IReadOnlyList<IostatEntry>>> IostatAsync(CancellationToken cancellationToken = default) =>
        RunAsync(d => d == ZfsDialect.OpenZfs ? ["iostat", "-Hpv"] : ["iostat", "-v"], (_, text) => OrNoPools(text, ZpoolIostatParser.Parse), cancellationToken);

    /// <summary>With no pools imported, zpool prints nothing (-H) or "no pools available": an empty list, not an error.</summary>
    private static ParseResult<IReadOnlyList<T>> OrNoPools<T>(string text, Func<string, ParseResult<IReadOnlyList<T>>> parse) =>
        text.Trim() is "" or "no pools available" ? ParseResult.Ok<IReadOnlyList<T>>([]) : parse(text);

    public async Task<HostResult<IReadOnlyList<ZpoolEvent>>> EventsAsync(CancellationToken cancellationToken = default)
    {
        var dialect = await DialectAsync(cancellationToken).ConfigureAwait(false);
        if (!dialect.IsOk) return dialect.Error;
        if (dialect.Value == ZfsDialect.ZfsFuse)
            return new CommandError(CommandErrorKind.NotSupported, $"{tools.Zpool} events", "zpool events is not supported by this ZFS (zfs-fuse)");
        // Never -c: reading the log must not clear it.
        return await RunAsync(_ => ["events", "-H"], (_, text) => ZpoolEventsParser.Parse(text), cancellationToken).ConfigureAwait(false);
    }

    private static IReadOnlyList<string> Columns(ZfsDialect dialect) =>
        dialect == ZfsDialect.OpenZfs ? OpenZfsListColumns : ZfsFuseListColumns;

    private async Task<HostResult<T>> RunAsync<T>(
        Func<ZfsDialect, string[]> arguments, Func<ZfsDialect, string, ParseResult<T>> parse, CancellationToken cancellationToken)
    {
        var dialect = await DialectAsync(cancellationToken).ConfigureAwait(false);
        if (!dialect.IsOk) return dialect.Error;
        string[] command = [tools.Zpool, .. arguments(dialect.Value)];
        var run = await runner.RunAsync(command, tools.Timeout, cancellationToken).ConfigureAwait(false);
        return CommandOutput.Parse(run, text => parse(dialect.Value, text));
    }
}
