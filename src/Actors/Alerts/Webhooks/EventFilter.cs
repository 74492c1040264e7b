namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// Which event types a webhook wants: a list of patterns over dotted lower-case types, where
/// <c>*</c> stands for any run of characters, dots included: <c>*</c> is every event,
/// <c>pool.*</c> every pool event, <c>*.critical</c> e.g. <c>capacity.critical</c>.
/// </summary>
public static class EventFilter
{
    public const int MaxPatterns = 50;
    public const int MaxPatternLength = 100;
    public static readonly IReadOnlyList<string> Everything = ["*"];

    /// <summary>Null when <paramref name="pattern"/> (already lower-cased) is valid, else why not.</summary>
    public static string? Check(string pattern)
    {
        if (pattern.Length == 0) return "is empty";
        if (pattern.Length > MaxPatternLength) return $"is longer than {MaxPatternLength} characters";
        if (pattern.Any(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' or '*')))
            return "may hold only lower-case letters, digits, '.', '_', '-' and '*'";
        if (pattern.Split('.').Any(segment => segment.Length == 0)) return "has an empty segment (leading, trailing or double '.')";
        return null;
    }

    public static bool MatchesAny(IEnumerable<string> patterns, string type) => patterns.Any(p => Matches(p, type));

    /// <summary>Glob match with <c>*</c> only; linear, with one backtrack point (the last star).</summary>
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
            else if (p < pattern.Length && pattern[p] == type[t])
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
