using System.Text;

namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>state.yaml as it is on disk; <see cref="Text"/> is a commented starter when the file does not exist.</summary>
public sealed record StateFileContent(string Path, bool Exists, string Text);

/// <summary>A replaced state.yaml: its size and where the version it replaced was kept (null: there was none).</summary>
public sealed record StateFileWritten(string Path, int Bytes, string? PreviousPath);

/// <summary>
/// Reads and replaces state.yaml. A write goes to a unique temp file in the same directory, is
/// flushed to disk and renamed over the file, so readers see the old or the new file, never half
/// of one; the replaced version is kept as <c>state.yaml.prev</c>. Validation is the caller's job.
/// </summary>
public sealed class StateFileStore(string path)
{
    public const string Template =
        """
        # D-PlaneOS desired state. Objects not listed here are left alone (unmanaged).
        version: 1
        pools: []
        #  - name: tank
        #    vdev_type: mirror            # stripe, mirror, raidz1, raidz2, raidz3
        #    disks:
        #      - /dev/disk/by-id/ata-EXAMPLE_SERIAL_1
        #      - /dev/disk/by-id/ata-EXAMPLE_SERIAL_2
        #    prune: false                 # true: datasets of tank missing below are removal candidates
        datasets: []
        #  - name: tank/media
        #    quota: 500G
        #    compression: lz4
        shares: []
        #  - name: media
        #    path: /tank/media
        #    read_only: false
        """;

    private readonly SemaphoreSlim _writing = new(1, 1);

    public string Path { get; } = path;

    public string PreviousPath => Path + ".prev";

    public async Task<StateFileContent> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return new StateFileContent(Path, true, await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new StateFileContent(Path, false, Template + "\n");
        }
    }

    public async Task<StateFileWritten> WriteAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(directory);
            var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
            try
            {
                await WriteDurablyAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
                string? previous = null;
                if (File.Exists(Path))
                {
                    var previousTemp = temp + ".prev";
                    await WriteDurablyAsync(previousTemp, await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    File.Move(previousTemp, PreviousPath, overwrite: true);
                    previous = PreviousPath;
                }

                File.Move(temp, Path, overwrite: true);
                return new StateFileWritten(Path, bytes.Length, previous);
            }
            finally
            {
                File.Delete(temp);
                File.Delete(temp + ".prev");
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private static async Task WriteDurablyAsync(string file, byte[] bytes, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await using var stream = new FileStream(file, options);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }
}
