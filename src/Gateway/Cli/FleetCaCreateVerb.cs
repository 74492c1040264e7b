using DPlaneOS.Actors.Fleet.Certificates;

namespace DPlaneOS.Gateway.Cli;

/// <summary>
/// <c>dplaned fleet ca create --out DIR</c>: a new fleet CA in DIR, <c>ca.crt</c> (give it to every node
/// as <c>DPlaneOS:Fleet:CaPath</c>) and <c>ca.key</c> (mode 0600; keep it where certificates are issued).
/// Never over an existing CA. Prints what it wrote, never the key.
/// Exit codes: 0 written; 1 refused (a CA is already there, a file cannot be written); 2 bad arguments.
/// </summary>
public static class FleetCaCreateVerb
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider time)
    {
        var options = VerbOptions.Parse(args, ["--out"], [], out var parseError);
        if (options is null)
        {
            error.WriteLine($"dplaned: fleet ca create: {parseError}");
            return VerbExit.BadInput;
        }
        if (options.Value("--out") is not { } outDir)
        {
            error.WriteLine("dplaned: fleet ca create: --out DIR is required");
            return VerbExit.BadInput;
        }
        var directory = Path.GetFullPath(outDir);
        try
        {
            using var authority = FleetCertificateAuthority.Create(directory, time);
            var certificate = authority.Certificate;
            output.WriteLine($"dplaned: fleet CA written: {Path.Combine(directory, FleetCertificateAuthority.CertificateFileName)} (certificate; every node's DPlaneOS:Fleet:CaPath)");
            output.WriteLine($"dplaned: fleet CA key written: {Path.Combine(directory, FleetCertificateAuthority.KeyFileName)} (mode 0600; keep it off the appliances)");
            output.WriteLine($"dplaned: {certificate.Subject}, valid until {certificate.NotAfter.ToUniversalTime():u}, SHA-256 {FleetCertificateAuthority.Fingerprint(certificate)}");
            return VerbExit.Ok;
        }
        catch (FleetCertificateException refused)
        {
            error.WriteLine($"dplaned: {refused.Message}");
            return VerbExit.Refused;
        }
    }
}
