using System.Text.RegularExpressions;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// The <c>config:</c> block of <c>zpool status</c>: a header, the pool row, its data vdevs, then optional
/// class sections (<c>dedup</c>, <c>special</c>, <c>logs</c>, <c>cache</c>, <c>spares</c>; OpenZFS 2.x
/// ends some of these header lines with a TAB). Rows start with a TAB; nesting is two spaces per level.
/// </summary>
internal static partial class ZpoolStatusTree
{
    private const string Source = "zpool status";

    internal sealed record Result(Vdev Root, IReadOnlyDictionary<VdevClass, IReadOnlyList<Vdev>> Sections)
    {
        public IReadOnlyList<Vdev> Of(VdevClass c) => Sections.TryGetValue(c, out var list) ? list : [];
    }

    private sealed class Node(string name, int depth, VdevClass cls)
    {
        public string Name { get; } = name;
        public int Depth { get; } = depth;
        public VdevClass Class { get; } = cls;
        public string State { get; init; } = "";
        public long Read { get; init; }
        public long Write { get; init; }
        public long Cksum { get; init; }
        public bool Approximate { get; init; }
        public string? Note { get; init; }
        public List<Node> Children { get; } = [];
    }

    private static readonly Dictionary<string, VdevClass> ClassHeaders = new(StringComparer.Ordinal)
    {
        ["logs"] = VdevClass.Log,
        ["cache"] = VdevClass.Cache,
        ["spares"] = VdevClass.Spare,
        ["special"] = VdevClass.Special,
        ["dedup"] = VdevClass.Dedup,
    };

    [GeneratedRegex(@"\Adraid[0-9]+-[0-9]+-[0-9]+\z")]
    private static partial Regex DistributedSpareName();

    public static ParseResult<Result> Parse(IReadOnlyList<(int Line, string Text)> rows, int configLine)
    {
        var i = 0;
        while (i < rows.Count && string.IsNullOrWhiteSpace(rows[i].Text)) i++;
        if (i == rows.Count)
            return Fail(ParseError.At(Source, "config section is empty (output cut short?)", configLine, "config:"));

        var header = TextLines.Tokens(rows[i].Text);
        if (header.Length < 5 || header[0] != "NAME" || header[1] != "STATE" || header[2] != "READ" || header[3] != "WRITE" || header[4] != "CKSUM")
            return Fail(ParseError.At(Source, "config section lacks the 'NAME STATE READ WRITE CKSUM' header", rows[i].Line, rows[i].Text));
        // Columns after CKSUM (e.g. SLOW with -s) are numbers too; they are skipped, not read as the note.
        var countColumns = header.Length - 2;
        i++;

        Node? root = null;
        var sections = new Dictionary<VdevClass, Node>();
        var stack = new Stack<Node>();
        var cls = VdevClass.Data;

        for (; i < rows.Count; i++)
        {
            var (lineNo, raw) = rows[i];
            if (string.IsNullOrWhiteSpace(raw)) continue;
            if (raw[0] != '\t')
                return Fail(ParseError.At(Source, "config row does not start with a TAB", lineNo, raw));
            var body = raw[1..].TrimEnd(' ', '\t');
            var indent = body.Length - body.TrimStart(' ').Length;
            var depth = indent / 2;
            var tokens = TextLines.Tokens(body);

            if (depth == 0 && root is not null)
            {
                if (tokens.Length == 1 && ClassHeaders.TryGetValue(tokens[0], out var next))
                {
                    cls = next;
                    var section = new Node(tokens[0], 0, cls);
                    sections[cls] = section;
                    stack.Clear();
                    stack.Push(section);
                    continue;
                }
                return Fail(ParseError.At(Source, "a second top-level row that is not a class header", lineNo, raw));
            }

            if (tokens.Length < 2)
                return Fail(ParseError.At(Source, "vdev row has no state", lineNo, raw));

            var rest = tokens[2..];
            long read = 0, write = 0, cksum = 0;
            var approximate = false;
            string[] noteTokens;
            if (rest.Length >= 3
                && ZpoolCount.TryParse(rest[0], out read, out var a1)
                && ZpoolCount.TryParse(rest[1], out write, out var a2)
                && ZpoolCount.TryParse(rest[2], out cksum, out var a3))
            {
                approximate = a1 || a2 || a3;
                noteTokens = rest.Length > countColumns ? rest[countColumns..] : [];
            }
            else if (cls == VdevClass.Spare)
            {
                // Spares print no counts: "sdn  AVAIL" or "sdn  INUSE  currently in use".
                read = write = cksum = 0;
                approximate = false;
                noteTokens = rest;
            }
            else
            {
                return Fail(ParseError.At(Source, "vdev row lacks numeric READ/WRITE/CKSUM counts", lineNo, raw));
            }

            var node = new Node(tokens[0], depth, cls)
            {
                State = tokens[1],
                Read = read,
                Write = write,
                Cksum = cksum,
                Approximate = approximate,
                Note = noteTokens.Length == 0 ? null : string.Join(' ', noteTokens),
            };

            if (root is null)
            {
                if (depth != 0)
                    return Fail(ParseError.At(Source, "the first config row is indented; expected the pool row", lineNo, raw));
                root = node;
                stack.Push(root);
                continue;
            }

            while (stack.Count > 0 && stack.Peek().Depth >= depth) stack.Pop();
            if (stack.Count == 0 || depth > stack.Peek().Depth + 1)
                return Fail(ParseError.At(Source, "vdev row is indented deeper than its parent allows", lineNo, raw));
            stack.Peek().Children.Add(node);
            stack.Push(node);
        }

        if (root is null)
            return Fail(ParseError.At(Source, "config section has no pool row (output cut short?)", rows[^1].Line, rows[^1].Text));

        var built = sections.ToDictionary(s => s.Key, s => (IReadOnlyList<Vdev>)s.Value.Children.Select(c => Build(c, false)).ToList());
        return ParseResult.Ok(new Result(Build(root, true), built));
    }

    private static ParseResult<Result> Fail(ParseError error) => ParseResult.Fail<Result>(error);

    private static Vdev Build(Node node, bool isPool) =>
        new(node.Name, isPool ? VdevKind.Pool : KindOf(node), node.Class, node.State, node.Read, node.Write, node.Cksum, node.Note,
            node.Children.Select(c => Build(c, false)).ToList())
        {
            CountsApproximate = node.Approximate,
        };

    /// <summary>Group vdevs are known by their generated names; anything else is a leaf device.</summary>
    private static VdevKind KindOf(Node node)
    {
        var n = node.Name;
        if (DistributedSpareName().IsMatch(n)) return VdevKind.DistributedSpare;
        if (n.StartsWith('/')) return VdevKind.Disk;
        if (IsGroup(n, "mirror")) return VdevKind.Mirror;
        if (IsGroup(n, "raidz")) return VdevKind.Raidz;
        if (n.StartsWith("draid", StringComparison.Ordinal) && n.Contains(':', StringComparison.Ordinal)) return VdevKind.Draid;
        if (IsGroup(n, "replacing")) return VdevKind.Replacing;
        if (IsGroup(n, "spare")) return VdevKind.Spare;
        if (IsGroup(n, "indirect")) return VdevKind.Indirect;
        return VdevKind.Disk;
    }

    /// <summary><c>mirror</c>, <c>mirror-0</c>, <c>raidz2-1</c>, <c>raidz1</c>: the prefix, optional parity digit, optional -N.</summary>
    private static bool IsGroup(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = name.AsSpan(prefix.Length);
        if (prefix == "raidz" && rest.Length > 0 && char.IsAsciiDigit(rest[0])) rest = rest[1..];
        if (rest.Length == 0) return true;
        if (rest[0] != '-' || rest.Length == 1) return false;
        foreach (var c in rest[1..])
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
