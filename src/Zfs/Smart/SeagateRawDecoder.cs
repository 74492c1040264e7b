namespace DPlaneOS.Zfs.Smart;

/// <summary>
/// Decodes the raw values Seagate packs, so risk never reads a packed number as a count.
/// <list type="bullet">
/// <item>Attributes 1 (Raw_Read_Error_Rate) and 7 (Seek_Error_Rate): bits 0-31 count operations,
/// bits 32-47 count errors. 7 = 12834215976973 is 2988 errors in 853 696 525 seeks, not 12.8 T errors.</item>
/// <item>Attribute 188 (Command_Timeout): three 16-bit counters. smartmontools splits it with
/// <c>-v 188,raw16</c> for many Seagate families, and its maintainer advises not to read the raw as
/// a single number (smartmontools issues #184, #319). Real raws follow the pattern low ≥ middle ≥ high
/// (0x0001_0001_0001, 0x0002_0002_0004, 0x0004_0004_0004 = 17180131332 in the ST3000NM0033 fixture),
/// so the low word is the total and the others are nested subsets; the low word is the count.
/// Reading 188 as "errors / operations" like 1 and 7 (a common web explanation) does not fit those
/// equal-word raws, so it is not used.</item>
/// </list>
/// Any other attribute, and any non-Seagate drive, keeps its raw value.
/// </summary>
public static class SeagateRawDecoder
{
    private const long Low16 = 0xFFFF;
    private const long Low32 = 0xFFFF_FFFF;

    /// <summary>Seagate ATA models are "ST" plus digits (ST3000NM0033); some bridges report "Seagate …".</summary>
    public static bool IsSeagate(string? model, string? vendor = null)
    {
        if (vendor is not null && vendor.Trim().StartsWith("Seagate", StringComparison.OrdinalIgnoreCase)) return true;
        if (model is null) return false;
        var m = model.Trim();
        if (m.StartsWith("Seagate", StringComparison.OrdinalIgnoreCase)) return true;
        return m.Length > 2 && m.StartsWith("ST", StringComparison.Ordinal) && char.IsAsciiDigit(m[2]);
    }

    public static SeagateErrorRate DecodeErrorRate(long raw) => new((raw >> 32) & Low16, raw & Low32);

    public static SeagateCommandTimeouts DecodeCommandTimeouts(long raw) =>
        new((int)(raw & Low16), (int)((raw >> 16) & Low16), (int)((raw >> 32) & Low16));

    /// <summary>
    /// The number risk scoring should read for <paramref name="attribute"/>: the error count for
    /// Seagate 1 and 7, the timeout count for Seagate 188, otherwise the raw value itself.
    /// </summary>
    public static long EffectiveRaw(AtaAttribute attribute, bool isSeagate)
    {
        if (!isSeagate) return attribute.RawValue;
        return attribute.Id switch
        {
            1 or 7 => DecodeErrorRate(attribute.RawValue).Errors,
            188 => DecodeCommandTimeouts(attribute.RawValue).Low,
            _ => attribute.RawValue,
        };
    }
}
