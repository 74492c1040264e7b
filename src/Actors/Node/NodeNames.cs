using System.Text.RegularExpressions;

namespace DPlaneOS.Actors.Node;

/// <summary>
/// What a node name may be (<c>DPlaneOS:NodeName</c>, fleet certificates, <c>?nodes=</c> filters): a DNS label
/// or dotted name, since it is also a certificate's name and shows in persistence ids, URLs and subjects.
/// </summary>
public static partial class NodeNames
{
    public const int MaxLength = 63;

    /// <summary>Null when <paramref name="name"/> is a valid node name, else what is wrong with it.</summary>
    public static string? Error(string? name) => name switch
    {
        null or "" => "is empty",
        { Length: > MaxLength } => $"is longer than {MaxLength} characters",
        _ when !Pattern().IsMatch(name) => $"'{name}' may hold only letters, digits, '-' and '.', and must start and end with a letter or digit",
        _ => null,
    };

    [GeneratedRegex(@"\A[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\z")]
    private static partial Regex Pattern();
}
