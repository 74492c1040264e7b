namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>
/// A filesystem as <c>zfs get -Hp</c> reports it. <paramref name="UsedBytes"/> null means the probe
/// did not report it (treated as "cannot verify"). <paramref name="Properties"/> holds raw values:
/// quota, compression, atime, mountpoint, recordsize, encryption, casesensitivity.
/// </summary>
public sealed record LiveDataset(string Name, long? UsedBytes, IReadOnlyDictionary<string, string> Properties)
{
    public string? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;
}
