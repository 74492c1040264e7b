namespace DPlaneOS.Zfs.Smart;

/// <summary>The parts of the NVMe SMART/Health log (log page 02h) that say something about failure.</summary>
/// <param name="CriticalWarning">Bit field: 0x01 spare below threshold, 0x02 temperature, 0x04 reliability degraded, 0x08 read-only, 0x10 volatile memory backup failed, 0x20 persistent memory region unreliable.</param>
/// <param name="MediaErrors">Unrecovered data integrity errors.</param>
/// <param name="PercentageUsed">Vendor estimate of life used; may exceed 100.</param>
/// <param name="AvailableSpare">Remaining spare capacity, percent.</param>
/// <param name="AvailableSpareThreshold">The spare level below which the drive raises bit 0x01.</param>
/// <param name="ErrorLogEntries">Lifetime error-log entries (<c>num_err_log_entries</c>); often benign.</param>
/// <param name="UnsafeShutdowns">Power losses without a clean shutdown.</param>
public sealed record NvmeHealth(
    int CriticalWarning,
    long MediaErrors,
    int PercentageUsed,
    int AvailableSpare,
    int AvailableSpareThreshold,
    long ErrorLogEntries,
    long UnsafeShutdowns);
