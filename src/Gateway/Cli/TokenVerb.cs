using System.Globalization;
using DPlaneOS.Gateway.Auth;
using DPlaneOS.Gateway.Hosting;

namespace DPlaneOS.Gateway.Cli;

/// <summary>
/// <c>dplaned token create --name NAME --role read|operator|admin [--expires DATE]</c>, <c>dplaned token list</c> and
/// <c>dplaned token revoke NAME</c>, each with the daemon's <c>--data-dir</c>/<c>--config</c>. They change the token
/// file under its lock while the daemon runs, which picks the change up within a second. <c>create</c> prints the
/// new token once, on its own line; nothing else ever prints a token or a hash.
/// Exit codes: 0 done; 1 refused (a name taken, no such token, the last admin token, no token file yet); 2 bad arguments.
/// </summary>
public static class TokenVerb
{
    private static readonly string[] SettingsOptions = ["--data-dir", "--config"];

    public static int Run(CommandLine commandLine, TextWriter output, TextWriter error, TimeProvider time)
    {
        var action = commandLine.Verb[^1];
        var args = commandLine.VerbArguments.ToList();
        string? positional = null;
        if (action == "revoke" && args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            positional = args[0];
            args.RemoveAt(0);
        }
        string[] own = action switch
        {
            "create" => ["--name", "--role", "--expires"],
            _ => [],
        };
        var options = VerbOptions.Parse(args, [.. own, .. SettingsOptions], [], out var parseError);
        if (options is null) return Bad(error, parseError!);
        if (action == "revoke" && positional is null) return Bad(error, "token revoke needs the NAME of the token");

        var settings = VerbSettings.Read(commandLine with
        {
            DataDir = options.Value("--data-dir") is { } dir ? Path.GetFullPath(dir) : commandLine.DataDir,
            ConfigFile = options.Value("--config") is { } config ? Path.GetFullPath(config) : commandLine.ConfigFile,
        }, error);
        if (settings is null) return VerbExit.BadInput;

        ApiTokenStore store;
        try
        {
            store = ApiTokenStore.Open(settings.DataDir, time);
        }
        catch (StartRefusedException refused)
        {
            error.WriteLine($"dplaned: {refused.Message}");
            return VerbExit.Refused;
        }
        return action switch
        {
            "create" => Create(store, options, output, error),
            "list" => List(store, time, output),
            _ => Report(store.Revoke(positional!), output, error, change => $"revoked token '{change.Name}' ({change.Role?.Name()})"),
        };
    }

    private static int Create(ApiTokenStore store, VerbOptions options, TextWriter output, TextWriter error)
    {
        var problems = new List<string>();
        var name = options.Value("--name");
        var role = options.Value("--role");
        if (name is null) problems.Add("--name is required");
        if (role is null) problems.Add($"--role is required ({TokenRoles.Known})");
        var request = TokenRequest.Check(name, role, options.Value("--expires"), (field, message) => problems.Add($"--{field}: {message}"));
        if (request is null) return Bad(error, string.Join("; ", problems));
        return Report(store.Create(request.Name, request.Role, request.Expires), output, error, change =>
            $"created token '{change.Name}' ({change.Role?.Name()}{(request.Expires is { } at ? ", expires " + at.ToString("O", CultureInfo.InvariantCulture) : "")}); " +
            "it is shown once, below:\n" + change.ClearToken);
    }

    private static int List(ApiTokenStore store, TimeProvider time, TextWriter output)
    {
        var now = time.GetUtcNow();
        output.WriteLine("NAME\tROLE\tCREATED\tEXPIRES");
        foreach (var token in store.List())
        {
            var expires = token.Expires is { } at ? at.ToString("O", CultureInfo.InvariantCulture) + (token.ExpiredAt(now) ? " (expired)" : "") : "never";
            output.WriteLine($"{token.Name}\t{token.EffectiveRole.Name()}\t{token.Created.ToString("O", CultureInfo.InvariantCulture)}\t{expires}");
        }
        return VerbExit.Ok;
    }

    private static int Report(TokenChange change, TextWriter output, TextWriter error, Func<TokenChange, string> done)
    {
        if (change.Succeeded)
        {
            output.WriteLine(done(change));
            return VerbExit.Ok;
        }
        error.WriteLine($"dplaned: {change.Problem}");
        return change.Refusal == TokenChange.Reason.BadInput ? VerbExit.BadInput : VerbExit.Refused;
    }

    private static int Bad(TextWriter error, string message)
    {
        error.WriteLine($"dplaned: {message}");
        error.WriteLine(CommandLine.Usage);
        return VerbExit.BadInput;
    }
}
