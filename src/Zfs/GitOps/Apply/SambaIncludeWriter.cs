using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.GitOps.Apply;

/// <summary>
/// Where the daemon's share definitions live and the Samba tools that check and load them.
/// <paramref name="SmbConfig"/> is the smb.conf that includes <paramref name="IncludePath"/>
/// (passed as <c>-s</c> to smbcontrol; null: Samba's default).
/// </summary>
public sealed record SambaIncludeSettings(string IncludePath, string? SmbConfig = null, string Testparm = "testparm", string Smbcontrol = "smbcontrol");

/// <summary>
/// The one writer of the daemon's Samba include file. A change is rendered to a temp file beside
/// it, checked with <c>testparm -s</c>, renamed over the file (readers never see half a file, smbd
/// never loads an unchecked one) and loaded with <c>smbcontrol smbd reload-config</c>.
/// Only <c>[share]</c> sections are written: the host's smb.conf keeps <c>[global]</c>.
/// </summary>
public sealed class SambaIncludeWriter(ICommandRunner runner, SambaIncludeSettings settings, TimeSpan commandTimeout)
{
    private readonly SemaphoreSlim _writing = new(1, 1);

    public SambaIncludeSettings Settings => settings;

    /// <summary>Applies <paramref name="change"/> to the shares in the file. Returns an error message, or null on success.</summary>
    public async Task<string?> ChangeAsync(
        Func<IReadOnlyList<SmbShare>, IReadOnlyList<SmbShare>> change, List<string> commandsRun, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.IncludePath))!, $".{Path.GetFileName(settings.IncludePath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var current = File.Exists(settings.IncludePath) ? await File.ReadAllTextAsync(settings.IncludePath, cancellationToken).ConfigureAwait(false) : "";
            var shares = SambaShareFile.Parse(current);
            if (!shares.IsOk) return $"cannot edit {settings.IncludePath}: {shares.Error}";
            var rendered = SambaShareFile.Render(change(shares.Value));
            if (!rendered.IsOk) return $"cannot write the share definitions: {rendered.Error.Message}";

            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(rendered.Value), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            var check = await RunAsync([settings.Testparm, "-s", temp], commandsRun, cancellationToken).ConfigureAwait(false);
            if (check is not null) return $"testparm rejected the new share definitions, {settings.IncludePath} is unchanged: {check}";
            File.Move(temp, settings.IncludePath, overwrite: true);

            List<string> reload = [settings.Smbcontrol];
            if (settings.SmbConfig is not null) reload.AddRange(["-s", settings.SmbConfig]);
            reload.AddRange(["smbd", "reload-config"]);
            var reloaded = await RunAsync(reload, commandsRun, cancellationToken).ConfigureAwait(false);
            return reloaded is null ? null : $"{settings.IncludePath} was written, but smbd did not reload it: {reloaded}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {settings.IncludePath}: {ex.Message}";
        }
        finally
        {
            File.Delete(temp);
            _writing.Release();
        }
    }

    private async Task<string?> RunAsync(IReadOnlyList<string> command, List<string> commandsRun, CancellationToken cancellationToken)
    {
        commandsRun.Add(string.Join(' ', command));
        var run = await runner.RunAsync(command, commandTimeout, cancellationToken).ConfigureAwait(false);
        if (!run.IsOk) return run.Error.ToString();
        if (run.Value.Succeeded) return null;
        var detail = string.Join(" | ", (run.Value.StandardError + "\n" + run.Value.StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Load smb config files", StringComparison.Ordinal))
            .Take(5));
        return $"{run.Value.CommandLine} exited {run.Value.ExitCode}: {detail}";
    }
}
