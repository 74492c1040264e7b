namespace DPlaneOS.Gateway.Cli;

/// <summary>
/// The options of a verb that parses its own (<see cref="CommandLine.VerbArguments"/>): <c>--name value</c>
/// or <c>--name=value</c>, each known option once unless it is repeatable, nothing else.
/// </summary>
public sealed class VerbOptions
{
    private readonly Dictionary<string, List<string>> _values;

    private VerbOptions(Dictionary<string, List<string>> values) => _values = values;

    /// <summary>The options in <paramref name="args"/>, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static VerbOptions? Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> single, IReadOnlyCollection<string> repeatable, out string? error)
    {
        error = null;
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }
            var equals = arg.IndexOf('=');
            var (name, inline) = equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
            if (!single.Contains(name) && !repeatable.Contains(name))
            {
                error = $"unknown option '{name}'";
                return null;
            }
            var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value))
            {
                error = $"{name} needs a value";
                return null;
            }
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            else if (single.Contains(name))
            {
                error = $"{name} given twice";
                return null;
            }
            list.Add(value);
        }
        return new VerbOptions(values);
    }

    /// <summary>The value of a single option; null when it was not given.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[0] : null;

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];
}
