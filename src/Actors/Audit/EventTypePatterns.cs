using System.Text.RegularExpressions;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// Which monitor event types are automatic actions: exact names or globs where <c>*</c> matches any
/// run of characters (<c>gitops.apply.*</c> matches <c>gitops.apply.started</c> and <c>gitops.apply.failed</c>).
/// </summary>
public sealed class EventTypePatterns
{
    private readonly Regex[] _patterns;

    public EventTypePatterns(IEnumerable<string> patterns) =>
        _patterns = patterns
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => new Regex(@"\A" + Regex.Escape(p.Trim()).Replace(@"\*", ".*", StringComparison.Ordinal) + @"\z",
                RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking))
            .ToArray();

    public bool Matches(string eventType) => _patterns.Any(p => p.IsMatch(eventType));
}
