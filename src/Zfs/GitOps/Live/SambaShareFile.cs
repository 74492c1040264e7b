using System.Text;
using DPlaneOS.Zfs.Parsing;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>
/// The daemon's own Samba include file: one <c>[share]</c> section per share, nothing global (the
/// host's smb.conf owns <c>[global]</c> and includes this file). Parsing reads what smbd would read
/// (case-insensitive keys, <c>\</c> line continuation, <c>#</c>/<c>;</c> comment lines, yes/no/true/false/1/0);
/// rendering writes only values that read back unchanged, because smb.conf has no escaping.
/// </summary>
public static class SambaShareFile
{
    public const string Header =
        "# Managed by dplaned (GitOps): generated from state.yaml on every share change. Edits here are overwritten.";

    private const string Source = "samba include";

    private static readonly HashSet<string> SpecialSections = new(StringComparer.OrdinalIgnoreCase) { "global", "homes", "printers" };

    public static ParseResult<IReadOnlyList<SmbShare>> Parse(string text)
    {
        var shares = new List<SmbShare>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        ShareBuilder? current = null;
        var lines = JoinContinuations(TextLines.Split(text ?? ""));
        foreach (var (lineNumber, raw) in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[')
            {
                if (!line.EndsWith(']') || line.Length < 3) return Fail("a section header must look like [name]", lineNumber, raw);
                var name = line[1..^1].Trim();
                if (SpecialSections.Contains(name)) return Fail($"[{name}] does not belong in the daemon's share include file", lineNumber, raw);
                if (!seen.Add(name)) return Fail($"share [{name}] is defined twice (share names ignore case)", lineNumber, raw);
                if (current is not null) shares.Add(current.Build());
                current = new ShareBuilder(name);
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq <= 0) return Fail("expected 'key = value'", lineNumber, raw);
            if (current is null) return Fail("a setting outside of any [share] section", lineNumber, raw);
            var key = string.Join(' ', line[..eq].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
            var value = line[(eq + 1)..].Trim();
            if (current.Set(key, value) is { } error) return Fail(error, lineNumber, raw);
        }

        if (current is not null) shares.Add(current.Build());
        return ParseResult.Ok<IReadOnlyList<SmbShare>>(shares);
    }

    /// <summary>The file text for <paramref name="shares"/>, or why a value cannot be written faithfully.</summary>
    public static ParseResult<string> Render(IEnumerable<SmbShare> shares)
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var share in shares)
        {
            if (NameRules.CheckShareName(share.Name) is { } nameError) return RenderFail(nameError);
            text.Append('\n').Append('[').Append(share.Name).Append("]\n");
            if (Setting(text, share.Name, "path", share.Path) is { } e1) return RenderFail(e1);
            text.Append("\tread only = ").Append(share.ReadOnly ? "yes" : "no").Append('\n');
            text.Append("\tguest ok = ").Append(share.GuestOk ? "yes" : "no").Append('\n');
            if (share.ValidUsers.Count > 0 && Setting(text, share.Name, "valid users", string.Join(' ', share.ValidUsers)) is { } e2) return RenderFail(e2);
            if (share.Comment.Length > 0 && Setting(text, share.Name, "comment", share.Comment) is { } e3) return RenderFail(e3);
        }

        return ParseResult.Ok(text.ToString());
    }

    private static string? Setting(StringBuilder text, string share, string key, string value)
    {
        // smbd trims values and joins a line ending in '\' with the next: such values would read back differently.
        if (value.Any(char.IsControl)) return $"[{share}] {key} contains a control character";
        if (value != value.Trim()) return $"[{share}] {key} '{value}' starts or ends with blanks, which smbd would drop";
        if (value.EndsWith('\\')) return $"[{share}] {key} '{value}' ends with '\\', which smbd reads as a line continuation";
        text.Append('\t').Append(key).Append(" = ").Append(value).Append('\n');
        return null;
    }

    private static IEnumerable<(int Line, string Text)> JoinContinuations(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i;
            var line = lines[i];
            while (line.TrimEnd().EndsWith('\\') && i + 1 < lines.Length)
                line = line.TrimEnd()[..^1] + lines[++i].TrimStart();
            yield return (start + 1, line);
        }
    }

    private static ParseResult<IReadOnlyList<SmbShare>> Fail(string message, int line, string text) =>
        ParseResult.Fail<IReadOnlyList<SmbShare>>(ParseError.At(Source, message, line, text));

    private static ParseResult<string> RenderFail(string message) => ParseResult.Fail<string>(new ParseError(Source, message));

    private sealed class ShareBuilder(string name)
    {
        private string _path = "";
        private bool _readOnly = true; // smbd's default
        private bool _guestOk;
        private IReadOnlyList<string> _users = [];
        private string _comment = "";

        public string? Set(string key, string value)
        {
            switch (key)
            {
                case "path" or "directory":
                    _path = value;
                    return null;
                case "read only":
                    return Bool(key, value, b => _readOnly = b);
                case "writable" or "writeable" or "write ok":
                    return Bool(key, value, b => _readOnly = !b);
                case "guest ok" or "public":
                    return Bool(key, value, b => _guestOk = b);
                case "valid users":
                    _users = value.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    return null;
                case "comment":
                    _comment = value;
                    return null;
                default:
                    return null; // other smb.conf parameters are not managed by state.yaml
            }
        }

        public SmbShare Build() => new(name, _path, _readOnly, _users, _comment, _guestOk);

        private static string? Bool(string key, string value, Action<bool> set)
        {
            switch (value.ToLowerInvariant())
            {
                case "yes" or "true" or "1" or "on":
                    set(true);
                    return null;
                case "no" or "false" or "0" or "off":
                    set(false);
                    return null;
                default:
                    return $"'{key}' must be yes or no, found '{value}'";
            }
        }
    }
}
