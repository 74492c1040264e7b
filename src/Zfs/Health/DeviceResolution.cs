namespace DPlaneOS.Zfs.Health;

/// <summary>Where a vdev leaf's SMART data can be read, or why it cannot.</summary>
/// <param name="Leaf">The leaf name as <c>zpool status</c> prints it.</param>
/// <param name="DevicePath">The whole-disk block device (<c>/dev/sda</c>, <c>/dev/disk/by-id/ata-…</c>), or null.</param>
/// <param name="Reason">Why there is no device, e.g. a file vdev.</param>
public sealed record DeviceResolution(string Leaf, string? DevicePath, string? Reason);
