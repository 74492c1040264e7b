namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>
/// What a fleet node name may be: the certificate's CN and DNS name, and the <c>DPlaneOS:NodeName</c>
/// every event carries. 1 to 63 ASCII letters, digits, '-' and '.', starting and ending with a letter
/// or digit (so it is a usable DNS name and never reads as a command-line option).
/// </summary>
public static class FleetNodeName
{
    public const int MaxLength = 63;

    public const string Rule = "a node name is 1 to 63 ASCII letters, digits, '-' and '.', starting and ending with a letter or digit";

    /// <summary>Null when <paramref name="name"/> is a valid node name, else why it is not.</summary>
    public static string? Error(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return Rule;
        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1])) return Rule;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '.') return Rule;
        }
        return null;
    }
}
