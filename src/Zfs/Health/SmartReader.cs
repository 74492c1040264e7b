using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Health;

/// <summary>Reads SMART for many disks in parallel; one slow disk delays only itself.</summary>
public sealed class SmartReader(ISmartctl smartctl, TimeProvider time)
{
    public async Task<IReadOnlyList<SmartObservation>> ReadAsync(IEnumerable<string> devicePaths, CancellationToken cancellationToken)
    {
        var reads = devicePaths.Distinct().Select(async path =>
            SmartObservation.From(path, time.GetUtcNow(), await smartctl.ReadAsync(path, cancellationToken).ConfigureAwait(false)));
        return await Task.WhenAll(reads).ConfigureAwait(false);
    }
}
