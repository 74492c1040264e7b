using System.Globalization;
using System.Text.RegularExpressions;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// Normalisation of ZFS property values, so the diff compares meaning rather than spelling.
/// Choices (OpenZFS 2.2 semantics):
/// <list type="bullet">
/// <item>quota: <c>none</c>, <c>0</c> and <c>-</c> are all 0 (no quota); sizes are 1024-based (<c>10G</c> = 10737418240).</item>
/// <item>compression: <c>on</c> = <c>lz4</c> (the default algorithm when lz4_compress is active, always true on 2.x);
/// <c>gzip</c> = <c>gzip-6</c>; <c>zstd</c> = <c>zstd-3</c>; <c>zstd-fast</c> = <c>zstd-fast-1</c>.</item>
/// <item>encryption: <c>on</c> = <c>aes-256-gcm</c> (the default since 0.8.4).</item>
/// <item>recordsize: a size, power of two, 512 B .. 16 MiB.</item>
/// </list>
/// </summary>
public static partial class ZfsValues
{
    public const long MaxRecordsize = 16L * 1024 * 1024;

    /// <summary>Parses a quota from state.yaml: <c>none</c>, <c>0</c>, raw bytes or a size such as <c>10G</c> / <c>1.5T</c>.</summary>
    public static bool TryParseQuota(string text, out long bytes)
    {
        bytes = 0;
        if (text is "none") return true;
        if (!SizeSyntax().IsMatch(text)) return false;
        return ByteSize.TryParse(text, out bytes) && bytes >= 0;
    }

    /// <summary>A live quota as <c>zfs get -Hp</c> prints it; null when the value is not understood.</summary>
    public static long? LiveQuota(string? value)
    {
        if (value is null) return null;
        if (value is "none" or "-" or "0") return 0;
        return TryParseQuota(value, out var bytes) ? bytes : null;
    }

    public static bool TryParseRecordsize(string text, out long bytes)
    {
        bytes = 0;
        if (!SizeSyntax().IsMatch(text) || !ByteSize.TryParse(text, out bytes)) return false;
        return bytes is >= 512 and <= MaxRecordsize && (bytes & (bytes - 1)) == 0;
    }

    /// <summary>The canonical compression value, or null when ZFS does not know the spelling.</summary>
    public static string? CanonicalCompression(string value)
    {
        switch (value)
        {
            case "on": return "lz4";
            case "off" or "lz4" or "lzjb" or "zle": return value;
            case "gzip": return "gzip-6";
            case "zstd": return "zstd-3";
            case "zstd-fast": return "zstd-fast-1";
        }

        var match = LeveledCompression().Match(value);
        if (!match.Success) return null;
        var level = int.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture);
        var valid = match.Groups["algo"].Value switch
        {
            "gzip" => level is >= 1 and <= 9,
            "zstd" => level is >= 1 and <= 19,
            "zstd-fast" => level is >= 1 and <= 10 or 20 or 30 or 40 or 50 or 60 or 70 or 80 or 90 or 100 or 500 or 1000,
            _ => false,
        };
        return valid ? $"{match.Groups["algo"].Value}-{level}" : null;
    }

    /// <summary>The canonical encryption suite, or null when ZFS does not know the spelling.</summary>
    public static string? CanonicalEncryption(string value) => value switch
    {
        "on" => "aes-256-gcm",
        "off" or "aes-128-ccm" or "aes-192-ccm" or "aes-256-ccm" or "aes-128-gcm" or "aes-192-gcm" or "aes-256-gcm" => value,
        _ => null,
    };

    /// <summary>Live atime: ZFS prints <c>on</c>/<c>off</c>; null when unknown.</summary>
    public static bool? LiveOnOff(string? value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => null,
    };

    public static string OnOff(bool value) => value ? "on" : "off";

    public static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Digits with an optional fraction and one size suffix; rejects <c>2TB</c>, <c>10 G</c>, <c>-1</c>.</summary>
    [GeneratedRegex(@"\A[0-9]+(\.[0-9]+)?[BKMGTPEbkmgtpe]?\z")]
    private static partial Regex SizeSyntax();

    [GeneratedRegex(@"\A(?<algo>gzip|zstd|zstd-fast)-(?<level>[0-9]{1,4})\z")]
    private static partial Regex LeveledCompression();
}
