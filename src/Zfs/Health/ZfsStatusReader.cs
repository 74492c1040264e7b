using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Health;

/// <summary>Runs the read-only zpool queries in parallel and resolves each leaf to its disk.</summary>
public sealed class ZfsStatusReader(IZpool zpool, DiskDeviceResolver resolver, TimeProvider time)
{
    public async Task<ZfsStatusReading> ReadAsync(CancellationToken cancellationToken)
    {
        var status = zpool.StatusAsync(cancellationToken);
        var list = zpool.ListAsync(cancellationToken);
        var iostat = zpool.IostatAsync(cancellationToken);
        var events = zpool.EventsAsync(cancellationToken);
        await Task.WhenAll(status, list, iostat, events).ConfigureAwait(false);

        var devices = new Dictionary<string, DeviceResolution>();
        if (status.Result.IsOk)
        {
            foreach (var leaf in status.Result.Value.SelectMany(p => p.AllLeaves()))
                devices.TryAdd(leaf.Name, resolver.Resolve(leaf.Name));
        }
        return new ZfsStatusReading(time.GetUtcNow(), status.Result, list.Result, iostat.Result, events.Result, devices);
    }
}
