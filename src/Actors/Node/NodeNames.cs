namespace DPlaneOS.Actors.Node;

/// <summary>
/// What a node name may be (<c>DPlaneOS:NodeName</c>, a fleet certificate's CN and DNS name, <c>?nodes=</c>
/// filters): 1 to 63 ASCII letters, digits, '-' and '.', starting and ending with a letter or digit, so it is
/// a usable DNS name, never reads as a command-line option, and is safe in persistence ids, URLs and subjects.
/// </summary>
public static class NodeNames
{
    public const int MaxLength = 63;

    public const string Rule = "a node name is 1 to 63 ASCII letters, digits, '-' and '.', starting and ending with a letter or digit";

    /// <summary>Null when <paramref name="name"/> is a valid node name, else <see cref="Rule"/>.</summary>
    public static string? Error(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return Rule;
        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1])) return Rule;
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? null : Rule;
    }
}
