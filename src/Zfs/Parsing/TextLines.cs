namespace DPlaneOS.Zfs.Parsing;

/// <summary>Line and token splitting shared by the text parsers.</summary>
internal static class TextLines
{
    private static readonly char[] Blanks = [' ', '\t'];

    /// <summary>Lines without their '\n' / "\r\n"; the empty piece after a final newline is dropped.</summary>
    public static string[] Split(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].EndsWith('\r')) lines[i] = lines[i][..^1];
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    /// <summary>Whitespace-separated tokens (spaces and tabs), no empties.</summary>
    public static string[] Tokens(string line) => line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Collapses runs of whitespace to one space and trims.</summary>
    public static string Normalise(string text) => string.Join(' ', Tokens(text));
}
