namespace DPlaneOS.Zfs.Smart;

/// <summary>
/// What one <c>smartctl --json</c> run said about one readable device. Unreadable devices never
/// become a report (see <see cref="SmartctlJsonParser"/>), so a report always carries device data,
/// whatever health bits <see cref="ExitStatus"/> has set.
/// </summary>
/// <param name="Device">The device path smartctl opened, e.g. <c>/dev/sda</c>.</param>
/// <param name="Passed">The overall self-assessment; null when the drive did not report one.</param>
/// <param name="ExitStatus">smartctl's exit bitmask; decode with <see cref="SmartExitStatus"/>.</param>
/// <param name="Messages">smartctl's own messages (warnings and errors), in order.</param>
/// <param name="Attributes">ATA attribute table; empty for NVMe and SCSI.</param>
/// <param name="Nvme">NVMe health log; null for ATA and SCSI.</param>
public sealed record SmartReport(
    string Device,
    SmartProtocol Protocol,
    string? Model,
    string? Serial,
    bool? Passed,
    int ExitStatus,
    IReadOnlyList<string> Messages,
    int? TemperatureCelsius,
    long? PowerOnHours,
    IReadOnlyList<AtaAttribute> Attributes,
    NvmeHealth? Nvme)
{
    /// <summary>The ATA attribute with this id, or null when the drive does not report it.</summary>
    public AtaAttribute? Attribute(int id)
    {
        foreach (var attribute in Attributes)
            if (attribute.Id == id) return attribute;
        return null;
    }

    /// <summary>True when the model string identifies a Seagate drive (packed raw values).</summary>
    public bool IsSeagate => SeagateRawDecoder.IsSeagate(Model);
}
