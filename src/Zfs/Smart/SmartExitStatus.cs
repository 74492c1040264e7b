namespace DPlaneOS.Zfs.Smart;

/// <summary>
/// smartctl's exit status is a bitmask (smartctl(8), "RETURN VALUES"). Bits 0-1 mean the device
/// could not be read at all; bit 2 means some command failed but data may still be there;
/// bits 3-7 are findings about the disk itself. The original daemon treated every non-zero
/// status as "SMART unavailable", which hid exactly the failing disks: bits 3-7 must be read
/// as health data, never as an error.
/// </summary>
public static class SmartExitStatus
{
    /// <summary>Bit 0: the command line did not parse.</summary>
    public const int CommandLineError = 1 << 0;

    /// <summary>Bit 1: the device could not be opened, or is in a low-power mode (<c>-n</c>).</summary>
    public const int DeviceOpenFailed = 1 << 1;

    /// <summary>Bit 2: some SMART or other command to the disk failed, or a SMART data structure had a bad checksum.</summary>
    public const int CommandFailed = 1 << 2;

    /// <summary>Bit 3: SMART status check returned "DISK FAILING".</summary>
    public const int DiskFailing = 1 << 3;

    /// <summary>Bit 4: some prefail attributes are at or below their threshold now.</summary>
    public const int PrefailAtOrBelowThreshold = 1 << 4;

    /// <summary>Bit 5: status is OK, but some usage or prefail attributes were at or below threshold in the past.</summary>
    public const int AttributesBelowThresholdInPast = 1 << 5;

    /// <summary>Bit 6: the device error log contains records of errors.</summary>
    public const int ErrorLogHasErrors = 1 << 6;

    /// <summary>Bit 7: the self-test log contains records of errors (the most recent self-test of each kind).</summary>
    public const int SelfTestLogHasErrors = 1 << 7;

    private const int UnreadableMask = CommandLineError | DeviceOpenFailed;
    private const int HealthMask = DiskFailing | PrefailAtOrBelowThreshold | AttributesBelowThresholdInPast | ErrorLogHasErrors | SelfTestLogHasErrors;

    private static readonly (int Bit, string Meaning)[] Meanings =
    [
        (CommandLineError, "command line did not parse"),
        (DeviceOpenFailed, "device open failed"),
        (CommandFailed, "a SMART command failed or a SMART structure had a checksum error"),
        (DiskFailing, "SMART status: disk failing"),
        (PrefailAtOrBelowThreshold, "prefail attributes at or below threshold"),
        (AttributesBelowThresholdInPast, "attributes were at or below threshold in the past"),
        (ErrorLogHasErrors, "device error log has errors"),
        (SelfTestLogHasErrors, "self-test log has errors"),
    ];

    /// <summary>True when bits 0-1 say smartctl never read the device: the result is "unavailable".</summary>
    public static bool IsUnreadable(int exitStatus) => (exitStatus & UnreadableMask) != 0;

    /// <summary>True when any of bits 3-7 reports a finding about the disk. This is data, not an error.</summary>
    public static bool HasHealthFindings(int exitStatus) => (exitStatus & HealthMask) != 0;

    /// <summary>True when <paramref name="bit"/> (one of the constants here) is set.</summary>
    public static bool Has(int exitStatus, int bit) => (exitStatus & bit) != 0;

    /// <summary>The meaning of each set bit, lowest first; empty for 0.</summary>
    public static IReadOnlyList<string> Describe(int exitStatus) =>
        Meanings.Where(m => (exitStatus & m.Bit) != 0).Select(m => m.Meaning).ToArray();
}
