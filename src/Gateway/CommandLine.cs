namespace DPlaneOS.Gateway;

/// <summary>
/// <c>dplaned [--urls URL] [--data-dir DIR] [--config FILE]</c> runs the daemon;
/// <c>dplaned snapshot pre-upgrade [--data-dir DIR] [--config FILE]</c> runs one verb and exits;
/// the <c>fleet</c> verbs read no settings and take their own options (<see cref="VerbArguments"/>); the <c>token</c>
/// verbs take their own options and read the settings for the data dir.
/// Parsed strictly: a typo in a storage daemon's command line should stop it, not be ignored.
/// </summary>
public sealed record CommandLine(string? Urls, string? DataDir, string? ConfigFile, IReadOnlyList<string> Verb)
{
    public const string Usage =
        "usage: dplaned [--urls URL] [--data-dir DIR] [--config FILE]\n" +
        "       dplaned snapshot pre-upgrade [--data-dir DIR] [--config FILE]\n" +
        "         recursive @pre-upgrade-<UTC time> snapshot of every imported pool, keeps the newest\n" +
        "         DPlaneOS:Snapshots:PreUpgradeKeep (5); exit 0 taken, 1 a snapshot failed, 2 bad settings\n" +
        "       dplaned fleet ca create --out DIR\n" +
        "         a new fleet CA: DIR/ca.crt (for every node) and DIR/ca.key (mode 0600)\n" +
        "       dplaned fleet cert create --ca DIR --node NAME --out FILE [--role node|subscriber] [--host H]... [--password-file F]\n" +
        "         a certificate signed by the fleet CA, as PKCS#12 (mode 0600); exit 0 written, 1 refused, 2 bad arguments\n" +
        "       dplaned token create --name NAME --role read|operator|admin [--expires DATE] [--data-dir DIR] [--config FILE]\n" +
        "         a new API token, printed once; the running daemon accepts it within a second\n" +
        "       dplaned token list [--data-dir DIR] [--config FILE]\n" +
        "       dplaned token revoke NAME [--data-dir DIR] [--config FILE]\n" +
        "         exit 0 done, 1 refused (name taken, no such token, the last admin token), 2 bad arguments";

    /// <summary>Verbs with their own options that also read the daemon's settings: --data-dir and --config may come before the verb.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<string>> TokenVerbs = [["token", "create"], ["token", "list"], ["token", "revoke"]];

    /// <summary>Verbs that parse their own options: everything after the verb is theirs, in <see cref="VerbArguments"/>.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<string>> OwnArgumentVerbs =
        [["fleet", "ca", "create"], ["fleet", "cert", "create"], .. TokenVerbs];

    /// <summary>The verbs that run instead of the daemon.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<string>> Verbs = [["snapshot", "pre-upgrade"], .. OwnArgumentVerbs];

    /// <summary>The arguments after a verb that parses its own options; empty for every other command line.</summary>
    public IReadOnlyList<string> VerbArguments { get; init; } = [];

    public bool IsVerb(params string[] verb) => Verb.SequenceEqual(verb);

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
                if (OwnArgumentVerbs.Any(known => known.SequenceEqual(verb)))
                {
                    var own = args.Skip(i + 1).ToList();
                    var readsSettings = TokenVerbs.Any(known => known.SequenceEqual(verb));
                    var given = urls is not null ? "--urls"
                        : readsSettings ? null
                        : dataDir is not null ? "--data-dir" : config is not null ? "--config" : null;
                    if (given is not null) error = $"{given} does not apply to '{string.Join(' ', verb)}'";
                    return new CommandLine(urls, dataDir, config, verb) { VerbArguments = own };
                }
            }
        }
        if (error is null && verb.Count > 0)
        {
            if (!Verbs.Any(known => known.SequenceEqual(verb))) error = $"unknown command '{string.Join(' ', verb)}'";
            else if (urls is not null) error = $"--urls does not apply to '{string.Join(' ', verb)}'";
        }
        return new CommandLine(urls, dataDir, config, verb);
    }
}
