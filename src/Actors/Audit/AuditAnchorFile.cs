namespace DPlaneOS.Actors.Audit;

/// <summary>
/// <c>&lt;data-dir&gt;/audit.head</c> on disk (see <see cref="AuditAnchor"/>). Blocking file I/O: the writer
/// calls it from a task, never on its own thread. A write goes through <see cref="OwnedFile"/>
/// (<c>audit.head.tmp</c>, mode 0600, fsync, rename, fsync of the directory), so a reader sees the old
/// or the new anchor, never a torn one; a crash can leave the temp file behind, which nothing reads.
/// </summary>
public sealed class AuditAnchorFile(string path, AuditKey key) : IAuditAnchorStore
{
    public const string FileName = "audit.head";

    // One write at a time per file, also across writer incarnations (a stopped writer's task may still run).
    private readonly Lock _writing = new();

    public string Path { get; } = path;

    public static AuditAnchorFile InDataDir(string dataDir, AuditKey key) => new(System.IO.Path.Combine(dataDir, FileName), key);

    public AuditAnchorReading Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (FileNotFoundException)
        {
            return AuditAnchorReading.Missing.Instance;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new AuditAnchorReading.Invalid($"cannot be read: {ex.Message}", null, null);
        }
        return AuditAnchor.Decode(key, bytes);
    }

    public void Write(AuditHead head)
    {
        var bytes = AuditAnchor.Encode(key, head);
        lock (_writing) OwnedFile.WriteAtomically(Path, bytes);
    }
}
