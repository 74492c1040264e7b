using System.Globalization;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Yaml;

/// <summary>
/// Typed, strict reads from a <see cref="YNode"/> tree that collect errors instead of throwing.
/// Each read returns null (or false) after recording why, so the caller keeps going and the user
/// sees every problem at once.
/// </summary>
internal sealed class YamlReader(List<StateError> errors)
{
    public void Error(YNode node, string path, string message) => errors.Add(new StateError(node.Line, node.Column, path, message));

    /// <summary>Reads a mapping and reports keys outside <paramref name="allowed"/>.</summary>
    public IReadOnlyDictionary<string, YEntry>? Mapping(YNode node, string path, string what, IReadOnlyCollection<string> allowed)
    {
        if (node is YInvalid) return null;
        if (node is not YMapping map)
        {
            Error(node, path, $"{what} must be a mapping, found {Describe(node)}");
            return null;
        }

        var result = new Dictionary<string, YEntry>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            if (!allowed.Contains(entry.Key.Value))
            {
                var keyPath = Join(path, entry.Key.Value);
                errors.Add(new StateError(entry.Key.Line, entry.Key.Column, keyPath,
                    $"unknown key '{entry.Key.Value}' in {what}; allowed keys: {string.Join(", ", allowed)}"));
                continue;
            }

            result[entry.Key.Value] = entry;
        }

        return result;
    }

    public IReadOnlyList<YNode>? Sequence(YNode node, string path, string what)
    {
        switch (node)
        {
            case YInvalid:
                return null;
            case YSequence seq:
                return seq.Items;
            case YScalar s when s.IsNull:
                Error(node, path, $"{what} must be a sequence; write [] for none");
                return null;
            default:
                Error(node, path, $"{what} must be a sequence, found {Describe(node)}");
                return null;
        }
    }

    /// <summary>Any non-null scalar is a string; mappings, sequences and null are not.</summary>
    public string? String(YNode node, string path, string what)
    {
        switch (node)
        {
            case YInvalid:
                return null;
            case YScalar s when s.IsNull:
                Error(node, path, $"{what} must not be empty");
                return null;
            case YScalar s:
                return s.Value;
            default:
                Error(node, path, $"{what} must be a string, found {Describe(node)}");
                return null;
        }
    }

    /// <summary>YAML 1.2 booleans only: <c>yes</c>/<c>on</c> are rejected rather than silently read as false.</summary>
    public bool? Bool(YNode node, string path, string what)
    {
        if (node is YInvalid) return null;
        if (node is YScalar { Plain: true } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE": return true;
                case "false" or "False" or "FALSE": return false;
            }
        }

        Error(node, path, $"{what} must be true or false, found {Describe(node)}");
        return null;
    }

    /// <summary>A plain integer; a quoted number is a string and therefore rejected.</summary>
    public int? Int(YNode node, string path, string what)
    {
        if (node is YInvalid) return null;
        if (node is YScalar { Plain: true } s && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        Error(node, path, $"{what} must be an integer, found {Describe(node)}");
        return null;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Describe(YNode node) => node switch
    {
        YMapping => "a mapping",
        YSequence => "a sequence",
        YScalar { IsNull: true } => "nothing (null)",
        YScalar s => $"'{Shorten(s.Value)}'",
        _ => "an invalid value",
    };

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
