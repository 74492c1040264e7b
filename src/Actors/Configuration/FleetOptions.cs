using System.Globalization;

namespace DPlaneOS.Actors.Configuration;

/// <summary>
/// The fleet plane (<c>DPlaneOS:Fleet</c>): a second actor system that joins the other appliances in an
/// Akka.Cluster over mutual TLS. No seed nodes: no fleet plane, and no port is opened.
/// </summary>
public sealed class FleetOptions
{
    public const string Section = "DPlaneOS:Fleet";

    public const int DefaultPort = 4053;

    /// <summary>The host name or address the other nodes reach this one at (and the one it listens on).</summary>
    public string? Hostname { get; set; }

    /// <summary>The fleet port (TCP, TLS); 0 takes a free port (tests only: seeds must name real ports).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Seed nodes as <c>host:port</c>; this node may be one of them. Empty: fleet disabled.</summary>
    public List<string> SeedNodes { get; set; } = [];

    /// <summary>This node's certificate and private key, PKCS#12 (made by <c>dplaned fleet cert create</c>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password; empty for a file without one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The fleet CA certificate (PEM): a peer's certificate must chain to it.</summary>
    public string? CaPath { get; set; }

    /// <summary>A fleet actor system that is not a member by then is shut down and built anew.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait before the first rebuild after a fleet actor system ended.</summary>
    public TimeSpan RebuildMinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the wait between rebuilds (doubling from <see cref="RebuildMinBackoff"/>).</summary>
    public TimeSpan RebuildMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often this node writes its summary into the fleet's replicated data.</summary>
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when seed nodes are configured: only then is there a fleet plane.</summary>
    public bool Enabled => SeedNodes.Count > 0;

    /// <summary>The seed nodes parsed; call <see cref="Validate"/> first.</summary>
    public IReadOnlyList<(string Host, int Port)> ParsedSeedNodes() =>
        SeedNodes.Select(s => TryParseHostPort(s, out var host, out var port) ? (host, port) : throw new InvalidOperationException(SeedError(s))).ToList();

    /// <summary>
    /// Throws on values the fleet plane cannot work with, naming the setting. A disabled fleet (no seed
    /// nodes) is valid whatever the other settings say.
    /// </summary>
    public void Validate()
    {
        if (!Enabled)
            return;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Hostname))
            errors.Add($"{Section}:Hostname is required when {Section}:SeedNodes is set (the name or address the other nodes reach this one at)");
        if (Port is < 0 or > 65535)
            errors.Add($"{Section}:Port must be between 0 and 65535 (is {Port})");
        foreach (var seed in SeedNodes)
        {
            if (!TryParseHostPort(seed, out _, out _))
                errors.Add(SeedError(seed));
        }
        if (string.IsNullOrWhiteSpace(CertificatePath))
            errors.Add($"{Section}:CertificatePath is required when {Section}:SeedNodes is set (this node's PKCS#12 file)");
        else if (!File.Exists(CertificatePath))
            errors.Add($"{Section}:CertificatePath '{CertificatePath}' does not exist");
        if (string.IsNullOrWhiteSpace(CaPath))
            errors.Add($"{Section}:CaPath is required when {Section}:SeedNodes is set (the fleet CA certificate, PEM)");
        else if (!File.Exists(CaPath))
            errors.Add($"{Section}:CaPath '{CaPath}' does not exist");
        if (JoinTimeout <= TimeSpan.Zero)
            errors.Add($"{Section}:JoinTimeout must be positive (is {JoinTimeout})");
        if (RebuildMinBackoff <= TimeSpan.Zero || RebuildMaxBackoff < RebuildMinBackoff)
            errors.Add($"{Section}:RebuildMinBackoff must be positive and RebuildMaxBackoff at least as long (are {RebuildMinBackoff}, {RebuildMaxBackoff})");
        if (SummaryInterval <= TimeSpan.Zero)
            errors.Add($"{Section}:SummaryInterval must be positive (is {SummaryInterval})");
        if (errors.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
    }

    private static string SeedError(string seed) =>
        $"{Section}:SeedNodes entry '{seed}' is not host:port (port 1-65535), e.g. nas1.example:{DefaultPort.ToString(CultureInfo.InvariantCulture)}";

    internal static bool TryParseHostPort(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
            return false;
        host = value[..colon].Trim();
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        return host.Length > 0 && !host.Contains(' ', StringComparison.Ordinal) &&
               int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
    }
}
