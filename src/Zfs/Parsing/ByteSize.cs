using System.Globalization;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// ZFS byte sizes and counts both ways. ZFS prints human sizes with 1024-based suffixes
/// (<c>250M</c>, <c>1.81T</c>, <c>8.03K</c>) unless <c>-p</c> is given; zfs-fuse never takes <c>-p</c>
/// on list/status, so both forms must be read.
/// </summary>
public static class ByteSize
{
    private const string Suffixes = "BKMGTPEZ";

    /// <summary>Parses <c>12345</c>, <c>250M</c>, <c>1.2K</c>, <c>3.5T</c>, <c>512B</c>; '-' and '' are not sizes.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out bytes)) return true;

        var suffix = char.ToUpperInvariant(s[^1]);
        var power = Suffixes.IndexOf(suffix);
        if (power < 0) return false;
        var number = s[..^1];
        if (number.Length == 0) return false;
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        try
        {
            decimal multiplier = 1;
            for (var i = 0; i < power; i++) multiplier *= 1024;
            bytes = (long)decimal.Round(value * multiplier, MidpointRounding.AwayFromZero);
            return true;
        }
        catch (OverflowException)
        {
            bytes = 0;
            return false;
        }
    }

    /// <summary>Formats the way <c>zfs</c> does: 3 significant digits, 1024-based, e.g. <c>8.03K</c>, <c>250M</c>.</summary>
    public static string Format(long bytes)
    {
        if (bytes < 0) return "-" + Format(-bytes);
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + "B";
        double value = bytes;
        var power = 0;
        while (value >= 1024 && power < Suffixes.Length - 1)
        {
            value /= 1024;
            power++;
        }
        var digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
        var rounded = Math.Round(value, digits, MidpointRounding.AwayFromZero);
        var formatted = rounded.ToString("0." + new string('#', digits), CultureInfo.InvariantCulture);
        if (digits == 0) formatted = rounded.ToString("0", CultureInfo.InvariantCulture);
        return formatted + Suffixes[power];
    }
}
