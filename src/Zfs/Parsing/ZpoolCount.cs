using System.Globalization;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// READ/WRITE/CKSUM counts of <c>zpool status</c>. Without <c>-p</c> zpool prints them through
/// <c>zfs_nicenum</c>, which is 1024-based with 3 significant digits: the lab pool's exact 8219
/// checksum errors print as <c>8.03K</c> (8219/1024 = 8.026; a 1000 base would give <c>8.22K</c>).
/// So a suffixed count is read back as round(value × 1024^n) and is only approximate
/// (<c>8.03K</c> → 8223, not 8219); pass <c>-p</c> where the tool supports it for exact counts.
/// </summary>
internal static class ZpoolCount
{
    public static bool TryParse(string token, out long count, out bool approximate)
    {
        approximate = false;
        if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out count)) return true;
        // 'B' is a size suffix, never a count one.
        if (token.Length < 2 || !char.IsLetter(token[^1]) || char.ToUpperInvariant(token[^1]) == 'B') return false;
        if (!ByteSize.TryParse(token, out count)) return false;
        approximate = true;
        return true;
    }
}
