namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// A declared filesystem dataset. A null property is unmanaged: it is neither set nor compared.
/// <paramref name="QuotaBytes"/> 0 means <c>none</c>. <paramref name="Compression"/> and
/// <paramref name="Encryption"/> keep the spelling from the file (compare through <see cref="ZfsValues"/>).
/// <paramref name="KeyFormat"/>/<paramref name="KeyLocation"/> only matter at creation of an encrypted dataset.
/// </summary>
public sealed record DesiredDataset(
    string Name,
    long? QuotaBytes = null,
    string? Compression = null,
    bool? Atime = null,
    string? Mountpoint = null,
    long? RecordsizeBytes = null,
    string? Encryption = null,
    string? KeyFormat = null,
    string? KeyLocation = null,
    string? CaseSensitivity = null)
{
    /// <summary>The pool is the first path component.</summary>
    public string Pool => Name.Split('/')[0];
}
