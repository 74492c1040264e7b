namespace DPlaneOS.Zfs.Smart;

/// <summary>
/// One row of the ATA SMART attribute table, as smartctl reports it. <see cref="RawValue"/> is the
/// undecoded 48-bit raw; vendors such as Seagate pack several counters into it, so risk scoring
/// goes through <see cref="SeagateRawDecoder"/> instead of reading it directly.
/// </summary>
/// <param name="Threshold">The failure threshold; 0 when the drive does not report one.</param>
/// <param name="WhenFailed">smartctl's <c>when_failed</c>: <c>now</c>, <c>past</c>, or null when never.</param>
public sealed record AtaAttribute(
    int Id,
    string Name,
    int Value,
    int Worst,
    int Threshold,
    long RawValue,
    string RawString,
    string? WhenFailed);
