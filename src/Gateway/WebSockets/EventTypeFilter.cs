using System.IO.Enumeration;

namespace DPlaneOS.Gateway.WebSockets;

/// <summary>
/// Which event types a WebSocket client wants: <c>?types=pool.*,capacity.*</c>. Patterns are event
/// types with <c>*</c> for any run of characters; no patterns means every type.
/// </summary>
public sealed class EventTypeFilter
{
    public const int MaxPatterns = 32;
    public const int MaxPatternLength = 100;

    public static readonly EventTypeFilter All = new([]);

    private EventTypeFilter(IReadOnlyList<string> patterns) => Patterns = patterns;

    public IReadOnlyList<string> Patterns { get; }

    /// <returns>null, or what is wrong with <paramref name="text"/>.</returns>
    public static string? TryParse(string? text, out EventTypeFilter filter)
    {
        filter = All;
        if (string.IsNullOrWhiteSpace(text)) return null;
        var patterns = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (patterns.Length > MaxPatterns) return $"at most {MaxPatterns} patterns, got {patterns.Length}";
        foreach (var pattern in patterns)
        {
            if (pattern.Length > MaxPatternLength) return $"pattern '{pattern[..20]}…' is longer than {MaxPatternLength} characters";
            var bad = pattern.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '*'));
            if (bad != default) return $"pattern '{pattern}' has '{bad}'; use letters, digits, '.', '_', '-' and '*'";
        }
        filter = new EventTypeFilter(patterns);
        return null;
    }

    public bool Matches(string type) =>
        Patterns.Count == 0 || Patterns.Any(pattern => FileSystemName.MatchesSimpleExpression(pattern, type, ignoreCase: true));
}
