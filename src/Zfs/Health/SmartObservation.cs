using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Health;

/// <summary>The last SMART read of one device: a report or the error that prevented it.</summary>
public sealed record SmartObservation(string DevicePath, DateTimeOffset ReadAt, SmartReport? Report, string? Error)
{
    public static SmartObservation From(string devicePath, DateTimeOffset at, HostResult<SmartReport> result) =>
        result.IsOk ? new(devicePath, at, result.Value, null) : new(devicePath, at, null, result.Error.Message);
}
