namespace DPlaneOS.Zfs.Smart;

/// <summary>The protocol smartctl spoke to the device (<c>device.protocol</c> in its JSON).</summary>
public enum SmartProtocol
{
    Ata,
    Nvme,
    Scsi,
    Unknown,
}
