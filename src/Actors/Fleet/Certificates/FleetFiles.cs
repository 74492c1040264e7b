namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>How fleet material reaches the disk: created, never replaced.</summary>
internal static class FleetFiles
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode WorldReadable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Whether anything (a file, a directory, a link, even a dangling one) is at <paramref name="path"/>.</summary>
    public static bool Occupied(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>
    /// Creates <paramref name="path"/> with O_CREAT|O_EXCL and <paramref name="mode"/> from the first byte
    /// (no window with wider bits, no link followed), writes <paramref name="content"/> and fsyncs it.
    /// Something already at the path is refused, never replaced.
    /// </summary>
    public static void CreateNew(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            });
        }
        catch (IOException) when (Occupied(path))
        {
            throw new FleetCertificateException($"{path} already exists; refusing to overwrite it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FleetCertificateException($"cannot create {path}: {ex.Message}", ex);
        }
        try
        {
            using (stream)
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException ex)
        {
            // The file is ours (we just created it): a torn one must not pass for material.
            File.Delete(path);
            throw new FleetCertificateException($"cannot write {path}: {ex.Message}", ex);
        }
    }
}
