using System.Globalization;

namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>Sizes for people in plan reasons: <c>1023 B</c>, <c>1.0 KiB</c>, <c>2.0 GiB</c> (base 1024, one decimal).</summary>
public static class HumanBytes
{
    private static readonly string[] Units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
