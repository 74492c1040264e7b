using DPlaneOS.Actors.Fleet.Certificates;

namespace DPlaneOS.Gateway.Cli;

/// <summary>
/// <c>dplaned fleet cert create --ca DIR --node NAME --out FILE [--role node|subscriber] [--host H]... [--password-file F]</c>:
/// a certificate for NAME signed by the fleet CA in DIR (see <see cref="FleetCertificateIssuer"/> for what it holds),
/// written as PKCS#12 to FILE, mode 0600, never over an existing file. <c>--host</c> adds host names or IP
/// addresses to its SAN; <c>--password-file</c> protects the file with the password in F (its first line).
/// Prints what it wrote, never the key or the password.
/// Exit codes: 0 written; 1 refused (FILE exists, the CA cannot be read or cannot sign); 2 bad arguments.
/// </summary>
public static class FleetCertCreateVerb
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider time)
    {
        var options = VerbOptions.Parse(args, ["--ca", "--node", "--out", "--role", "--password-file"], ["--host"], out var parseError);
        if (options is null) return Bad(error, parseError!);
        foreach (var required in new[] { "--ca DIR", "--node NAME", "--out FILE" })
        {
            if (options.Value(required[..required.IndexOf(' ')]) is null) return Bad(error, $"{required} is required");
        }
        var nodeName = options.Value("--node")!;
        if (NodeNames.Error(nodeName) is { } nameError) return Bad(error, $"--node '{nodeName}': {nameError}");
        var roleName = options.Value("--role") ?? FleetRoles.Name(FleetRole.Node);
        if (FleetRoles.Parse(roleName) is not { } role) return Bad(error, $"--role '{roleName}': a role is 'node' or 'subscriber'");
        var hosts = options.Values("--host");
        foreach (var host in hosts)
        {
            if (!System.Net.IPAddress.TryParse(host, out _) && FleetCertificateIssuer.HostNameError(host) is { } hostError)
                return Bad(error, $"--host '{host}': {hostError}");
        }
        string? password = null;
        if (options.Value("--password-file") is { } passwordFile)
        {
            try
            {
                password = File.ReadLines(passwordFile).FirstOrDefault();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Bad(error, $"--password-file {passwordFile}: {ex.Message}");
            }
            if (string.IsNullOrEmpty(password))
                return Bad(error, $"--password-file {passwordFile}: the first line is empty (leave the option out for a file without a password)");
        }

        var outPath = Path.GetFullPath(options.Value("--out")!);
        try
        {
            using var authority = FleetCertificateAuthority.Load(Path.GetFullPath(options.Value("--ca")!));
            using var issued = new FleetCertificateIssuer(authority, time).IssueToFile(outPath, nodeName, role, hosts, password);
            var names = string.Join(", ", new[] { nodeName }.Concat(hosts).Distinct(StringComparer.OrdinalIgnoreCase));
            output.WriteLine($"dplaned: {outPath} written (PKCS#12, mode 0600, {(password is null ? "no password" : "password from " + options.Value("--password-file"))}): key, certificate and fleet CA certificate");
            output.WriteLine($"dplaned: {issued.Subject}, role {FleetRoles.Name(role)}, names {names}, valid until {issued.NotAfter.ToUniversalTime():u}");
            output.WriteLine($"dplaned: signed by {authority.Certificate.Subject}, SHA-256 {FleetCertificateAuthority.Fingerprint(authority.Certificate)}");
            return VerbExit.Ok;
        }
        catch (FleetCertificateException refused)
        {
            error.WriteLine($"dplaned: {refused.Message}");
            return VerbExit.Refused;
        }
    }

    private static int Bad(TextWriter error, string message)
    {
        error.WriteLine($"dplaned: fleet cert create: {message}");
        return VerbExit.BadInput;
    }
}
