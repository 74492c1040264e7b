namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Why a tool's output could not be understood. Parsers return this instead of throwing, so
/// garbage from a host command becomes a typed, reportable error and never an HTTP 500.
/// </summary>
/// <param name="Source">What was being parsed, e.g. "zpool status".</param>
/// <param name="Message">What was wrong, in words an admin can act on.</param>
/// <param name="Line">1-based line of the input where the problem was found, when known.</param>
/// <param name="Excerpt">The offending text (trimmed to a short excerpt), when known.</param>
public sealed record ParseError(string Source, string Message, int? Line = null, string? Excerpt = null)
{
    private const int MaxExcerpt = 120;

    public static ParseError At(string source, string message, int line, string? text) =>
        new(source, message, line, text is null ? null : text.Length > MaxExcerpt ? text[..MaxExcerpt] + "…" : text);

    public override string ToString() =>
        Line is { } l ? $"{Source}: {Message} (line {l}{(Excerpt is null ? "" : $": '{Excerpt}'")})" : $"{Source}: {Message}";
}
