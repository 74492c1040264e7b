namespace DPlaneOS.Gateway;

/// <summary>
/// <c>dplaned [--urls URL] [--data-dir DIR] [--config FILE]</c>. Parsed strictly: a typo in a
/// storage daemon's command line should stop it, not be ignored.
/// </summary>
public sealed record CommandLine(string? Urls, string? DataDir, string? ConfigFile, IReadOnlyList<string> Verb)
{
    public const string Usage = "usage: dplaned [--urls URL] [--data-dir DIR] [--config FILE]";

    public static CommandLine Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        string? urls = null, dataDir = null, config = null;
        var verb = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.Contains('=') && arg.StartsWith("--", StringComparison.Ordinal)
                ? (arg[..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..])
                : (arg, null);
            if (name is "--urls" or "--data-dir" or "--config")
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (string.IsNullOrWhiteSpace(value))
                {
                    error = $"{name} needs a value";
                    break;
                }
                switch (name)
                {
                    case "--urls": urls = value; break;
                    case "--data-dir": dataDir = Path.GetFullPath(value); break;
                    default: config = Path.GetFullPath(value); break;
                }
            }
            else if (arg.StartsWith('-'))
            {
                error = $"unknown option '{arg}'";
                break;
            }
            else
            {
                verb.Add(arg);
            }
        }
        if (error is null && verb.Count > 0) error = $"unknown command '{string.Join(' ', verb)}'";
        return new CommandLine(urls, dataDir, config, verb);
    }
}
