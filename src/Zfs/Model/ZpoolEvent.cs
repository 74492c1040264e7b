namespace DPlaneOS.Zfs.Model;

/// <summary>One record of <c>zpool events</c>.</summary>
/// <param name="Time">From the exact <c>time</c> field with <c>-v</c>; otherwise the printed wall clock read as UTC.</param>
/// <param name="TimeText">The time as printed, e.g. <c>Nov 29 2026 08:02:35.536000000</c>.</param>
/// <param name="Class">e.g. <c>resource.fs.zfs.statechange</c>.</param>
/// <param name="Fields">
/// <c>name = value</c> lines of <c>-v</c> (empty for <c>-H</c>). Quoted strings are unquoted
/// (<c>"OFFLINE" (0x2)</c> gives <c>OFFLINE</c>); other values are kept as printed, trimmed.
/// Embedded nvlists are flattened as <c>detector.scheme</c>.
/// </param>
public sealed record ZpoolEvent(
    DateTimeOffset? Time,
    string TimeText,
    string Class,
    IReadOnlyDictionary<string, string> Fields);
