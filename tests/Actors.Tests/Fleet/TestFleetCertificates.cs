using DPlaneOS.Actors.Fleet.Certificates;

namespace DPlaneOS.Actors.Tests.Fleet;

/// <summary>
/// A throwaway fleet CA and node certificates for tests, made by the same code as <c>dplaned fleet ca create</c>
/// and <c>dplaned fleet cert create</c> (<see cref="FleetCertificateAuthority"/>, <see cref="FleetCertificateIssuer"/>)
/// in a temporary folder.
/// </summary>
internal sealed class TestFleetCertificates : IDisposable
{
    private readonly FleetCertificateAuthority _authority;
    private readonly FleetCertificateIssuer _issuer;

    /// <param name="label">Names the temporary folder, so a failing test says which CA it was.</param>
    public TestFleetCertificates(string label)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fleet-certs-" + label.Replace(' ', '-') + "-").FullName;
        var caDirectory = Path.Combine(Directory, "ca");
        _authority = FleetCertificateAuthority.Create(caDirectory, TimeProvider.System);
        _issuer = new FleetCertificateIssuer(_authority, TimeProvider.System);
        CaPath = Path.Combine(caDirectory, FleetCertificateAuthority.CertificateFileName);
    }

    public string Directory { get; }

    /// <summary>The CA certificate, PEM.</summary>
    public string CaPath { get; }

    /// <summary>A node certificate signed by this CA, as a PKCS#12 file (mode 0600).</summary>
    public string Node(string name, string? password = null)
    {
        var path = Path.Combine(Directory, name + ".p12");
        _issuer.IssueToFile(path, name, FleetRole.Node, ["127.0.0.1"], password).Dispose();
        return path;
    }

    public void Dispose()
    {
        _authority.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
