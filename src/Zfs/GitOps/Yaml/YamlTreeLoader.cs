using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Yaml;

/// <summary>
/// Turns YamlDotNet parser events into a <see cref="YNode"/> tree. Reports duplicate keys,
/// aliases, non-scalar keys, extra documents and excessive nesting as <see cref="StateError"/>s;
/// a syntax error ends loading with one error at YamlDotNet's mark. Never throws.
/// </summary>
internal static partial class YamlTreeLoader
{
    /// <summary>state.yaml is at most four levels deep; the cap keeps hostile input cheap.</summary>
    private const int MaxDepth = 16;

    public static YNode? Load(string text, List<StateError> errors)
    {
        var loader = new Loader(new Parser(new StringReader(text)), errors);
        try
        {
            return loader.LoadSingleDocument();
        }
        catch (YamlException ex)
        {
            errors.Add(new StateError(Position(ex.Start.Line), Position(ex.Start.Column), "", "invalid YAML: " + CleanMessage(ex.Message) + TabHint(text)));
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YamlDotNet occasionally fails with a non-YAML exception on malformed input; report it
            // at the last position we saw rather than letting it escape.
            errors.Add(new StateError(loader.LastLine, loader.LastColumn, "", "invalid YAML: " + ex.Message));
            return null;
        }
    }

    internal static int Position(long oneBased) => oneBased < 1 ? 1 : oneBased > int.MaxValue ? int.MaxValue : (int)oneBased;

    private static string TabHint(string text) =>
        text.StartsWith('\t') || text.Contains("\n\t", StringComparison.Ordinal) ? " (tabs are not allowed for indentation in YAML; use spaces)" : "";

    private static string CleanMessage(string message) => MarkPrefix().Replace(message, "").Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();

    private sealed class Loader(IParser parser, List<StateError> errors)
    {
        public int LastLine { get; private set; } = 1;

        public int LastColumn { get; private set; } = 1;

        public YNode? LoadSingleDocument()
        {
            Next(); // StreamStart
            var first = Next();
            if (first is StreamEnd)
            {
                errors.Add(new StateError(1, 1, "", "the document is empty; expected a mapping starting with 'version: 1'"));
                return null;
            }

            var root = ReadNode(Next(), 0, "");
            Next(); // DocumentEnd
            if (Next() is DocumentStart extra)
            {
                errors.Add(At(extra, "", "only one YAML document is allowed in state.yaml"));
                return null;
            }

            return root;
        }

        private ParsingEvent Next()
        {
            if (!parser.MoveNext()) throw new InvalidOperationException("unexpected end of the YAML stream");
            var current = parser.Current ?? throw new InvalidOperationException("unexpected end of the YAML stream");
            LastLine = Position(current.Start.Line);
            LastColumn = Position(current.Start.Column);
            return current;
        }

        private YNode? ReadNode(ParsingEvent evt, int depth, string path)
        {
            if (depth > MaxDepth)
            {
                errors.Add(At(evt, path, $"nesting is deeper than {MaxDepth} levels"));
                Skip(evt);
                return null;
            }

            switch (evt)
            {
                case Scalar s:
                    return new YScalar(s.Value, s.Style == ScalarStyle.Plain, Position(s.Start.Line), Position(s.Start.Column));
                case AnchorAlias alias:
                    errors.Add(At(alias, path, $"aliases (*{alias.Value}) are not supported in state.yaml; write the value out"));
                    return null;
                case SequenceStart seq:
                    return ReadSequence(seq, depth, path);
                case MappingStart map:
                    return ReadMapping(map, depth, path);
                default:
                    errors.Add(At(evt, path, $"unexpected YAML event {evt.GetType().Name}"));
                    return null;
            }
        }

        private YSequence ReadSequence(SequenceStart start, int depth, string path)
        {
            var items = new List<YNode>();
            for (var evt = Next(); evt is not SequenceEnd; evt = Next())
            {
                var item = ReadNode(evt, depth + 1, $"{path}[{items.Count}]");
                // A failed item keeps its slot so later indexes in error paths stay right.
                items.Add(item ?? new YInvalid(Position(evt.Start.Line), Position(evt.Start.Column)));
            }

            return new YSequence(items, Position(start.Start.Line), Position(start.Start.Column));
        }

        private YMapping ReadMapping(MappingStart start, int depth, string path)
        {
            var entries = new List<YEntry>();
            var seen = new Dictionary<string, YScalar>(StringComparer.Ordinal);
            for (var evt = Next(); evt is not MappingEnd; evt = Next())
            {
                if (evt is not Scalar keyEvent)
                {
                    errors.Add(At(evt, path, "mapping keys must be plain strings"));
                    Skip(evt);
                    Skip(Next());
                    continue;
                }

                var key = new YScalar(keyEvent.Value, keyEvent.Style == ScalarStyle.Plain, Position(keyEvent.Start.Line), Position(keyEvent.Start.Column));
                var childPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
                var value = ReadNode(Next(), depth + 1, childPath);
                if (seen.TryGetValue(key.Value, out var first))
                {
                    errors.Add(new StateError(key.Line, key.Column, childPath, $"duplicate key '{key.Value}' (first defined at line {first.Line}, column {first.Column})"));
                    continue;
                }

                seen.Add(key.Value, key);
                entries.Add(new YEntry(key, value ?? new YInvalid(key.Line, key.Column)));
            }

            return new YMapping(entries, Position(start.Start.Line), Position(start.Start.Column));
        }

        /// <summary>Consumes the rest of a node whose start event is <paramref name="evt"/>.</summary>
        private void Skip(ParsingEvent evt)
        {
            var level = evt.NestingIncrease;
            while (level > 0) level += Next().NestingIncrease;
        }

        private static StateError At(ParsingEvent evt, string path, string message) =>
            new(Position(evt.Start.Line), Position(evt.Start.Column), path, message);
    }
}
