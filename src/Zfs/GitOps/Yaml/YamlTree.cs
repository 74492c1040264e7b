namespace DPlaneOS.Zfs.GitOps.Yaml;

/// <summary>
/// A minimal YAML tree that keeps positions and duplicate keys visible. YamlDotNet's own
/// representation model throws at the first duplicate key; building our own lets the parser
/// report all of them with line and column.
/// </summary>
internal abstract record YNode(int Line, int Column);

/// <summary>A scalar; <paramref name="Plain"/> is false for quoted and block scalars (so <c>"12"</c> is not an int).</summary>
internal sealed record YScalar(string Value, bool Plain, int Line, int Column) : YNode(Line, Column)
{
    /// <summary>YAML 1.2 core-schema null: an empty plain scalar, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed record YSequence(IReadOnlyList<YNode> Items, int Line, int Column) : YNode(Line, Column);

internal sealed record YEntry(YScalar Key, YNode Value);

/// <summary>A mapping in document order; duplicates were already reported and dropped by the loader.</summary>
internal sealed record YMapping(IReadOnlyList<YEntry> Entries, int Line, int Column) : YNode(Line, Column);

/// <summary>A node that was already reported as an error; readers skip it without a second message.</summary>
internal sealed record YInvalid(int Line, int Column) : YNode(Line, Column);
