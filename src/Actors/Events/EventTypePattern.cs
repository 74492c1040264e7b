namespace DPlaneOS.Actors.Events;

/// <summary>
/// The one matcher of event types, used by the audit chain (which events are automatic actions),
/// webhooks (which events a hook wants) and the WebSocket <c>?types=</c> filter. Event types are
/// dotted lower case (<c>pool.degraded</c>). A pattern is an event type in which <c>*</c> stands for
/// any run of characters, dots included: <c>*</c> is every event, <c>pool.*</c> every pool event,
/// <c>*.critical</c> e.g. <c>capacity.critical</c>. An instance is a list of patterns and matches a
/// type when any of them does; an empty list matches nothing.
/// Case never decides: patterns are trimmed and lower-cased when read (<c>POOL.*</c> is <c>pool.*</c>)
/// and matching ignores case.
/// </summary>
public sealed class EventTypePattern
{
    public const int MaxLength = 100;

    /// <summary>Every event type.</summary>
    public static readonly EventTypePattern All = new(["*"]);

    private EventTypePattern(IReadOnlyList<string> patterns) => Patterns = patterns;

    /// <summary>The patterns, normalised (<see cref="Normalize"/>).</summary>
    public IReadOnlyList<string> Patterns { get; }

    public bool Matches(string type) => MatchesAny(Patterns, type);

    public static string Normalize(string pattern) => pattern.Trim().ToLowerInvariant();

    /// <summary>Null when the normalised <paramref name="pattern"/> is valid, else what is wrong with it.</summary>
    public static string? Check(string pattern)
    {
        if (pattern.Length == 0) return "is empty";
        if (pattern.Length > MaxLength) return $"is longer than {MaxLength} characters";
        var bad = pattern.FirstOrDefault(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' or '*'));
        if (bad != default) return $"may hold only lower-case letters, digits, '.', '_', '-' and '*', not '{bad}'";
        if (pattern.Split('.').Any(segment => segment.Length == 0)) return "has an empty segment (leading, trailing or double '.')";
        return null;
    }

    /// <summary>The error text every user of patterns shows: the pattern in quotes, then <see cref="Check"/>'s reason.</summary>
    public static string? Error(string pattern) =>
        Check(pattern) is { } problem ? $"'{(pattern.Length > MaxLength ? pattern[..20] + "…" : pattern)}' {problem}" : null;

    public static string? CountError(int count, int maxPatterns) =>
        count > maxPatterns ? $"must list at most {maxPatterns} patterns, got {count}" : null;

    /// <summary>
    /// A comma-separated list (the WebSocket <c>?types=</c>): null or blank means <see cref="All"/>.
    /// Returns null, or the first error; on an error <paramref name="pattern"/> is <see cref="All"/>.
    /// </summary>
    public static string? TryParse(string? text, int maxPatterns, out EventTypePattern pattern)
    {
        pattern = All;
        if (string.IsNullOrWhiteSpace(text)) return null;
        var patterns = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Normalize).ToList();
        if (CountError(patterns.Count, maxPatterns) is { } tooMany) return tooMany;
        if (patterns.Select(Error).FirstOrDefault(e => e is not null) is { } error) return error;
        pattern = new EventTypePattern(patterns);
        return null;
    }

    /// <summary>
    /// Patterns from configuration (the audit's action events): normalised, blank entries skipped.
    /// Not refused when invalid: such a pattern matches only its own text, which no event type is.
    /// </summary>
    public static EventTypePattern FromConfiguration(IEnumerable<string> patterns) =>
        new(patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Normalize).ToList());

    public static bool MatchesAny(IEnumerable<string> patterns, string type) => patterns.Any(p => Matches(p, type));

    /// <summary>Glob match with <c>*</c> only, ignoring case; linear, with one backtrack point (the last star).</summary>
    public static bool Matches(string pattern, string type)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < type.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(type[t]))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
