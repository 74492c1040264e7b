using DPlaneOS.Actors.Node;
using System.Security.Cryptography.X509Certificates;
using DPlaneOS.Actors.Fleet.Certificates;
using DPlaneOS.Gateway.Cli;

namespace DPlaneOS.Gateway.Tests;

/// <summary>
/// <c>dplaned fleet ca create</c> and <c>dplaned fleet cert create</c>, run through <see cref="Program.Main"/>
/// for exit codes and files, and through the verbs with captured output for what they print.
/// </summary>
public sealed class FleetCertificateVerbTests
{
    private static string NewDirectory() => Directory.CreateTempSubdirectory("dplaned-fleet-cli-").FullName;

    private static (int Exit, string Output, string Error) RunVerb(params string[] args)
    {
        var commandLine = CommandLine.Parse(args, out var parseError);
        Assert.Null(parseError);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = commandLine.IsVerb("fleet", "ca", "create")
            ? FleetCaCreateVerb.Run(commandLine.VerbArguments, output, error, TimeProvider.System)
            : FleetCertCreateVerb.Run(commandLine.VerbArguments, output, error, TimeProvider.System);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Ca_create_through_main_writes_the_CA_and_refuses_a_second_time()
    {
        var directory = Path.Combine(NewDirectory(), "fleet-ca");

        Assert.Equal(0, Program.Main(["fleet", "ca", "create", "--out", directory]));

        var keyPath = Path.Combine(directory, "ca.key");
        Assert.True(File.Exists(Path.Combine(directory, "ca.crt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        var key = File.ReadAllText(keyPath);

        Assert.Equal(1, Program.Main(["fleet", "ca", "create", "--out", directory]));
        Assert.Equal(key, File.ReadAllText(keyPath));
    }

    [Fact]
    public void Cert_create_through_main_writes_an_owner_only_PKCS12_that_the_fleet_trusts_and_never_overwrites_it()
    {
        var root = NewDirectory();
        var ca = Path.Combine(root, "ca");
        var file = Path.Combine(root, "nas1.p12");
        var passwordFile = Path.Combine(root, "password");
        File.WriteAllText(passwordFile, "correct horse\n");
        Assert.Equal(0, Program.Main(["fleet", "ca", "create", "--out", ca]));

        Assert.Equal(0, Program.Main(["fleet", "cert", "create", "--ca", ca, "--node", "nas1", "--out", file, "--host", "nas1.lab", "--host", "192.0.2.7", "--password-file", passwordFile]));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(file, "correct horse");
        Assert.True(loaded.HasPrivateKey);
        var trust = FleetTrust.FromCaFile(Path.Combine(ca, "ca.crt"), TimeProvider.System);
        Assert.Equal(new FleetPeer("nas1", FleetRole.Node), trust.Validate(loaded).Peer);

        var before = File.ReadAllBytes(file);
        Assert.Equal(1, Program.Main(["fleet", "cert", "create", "--ca", ca, "--node", "nas1", "--out", file]));
        Assert.Equal(before, File.ReadAllBytes(file));
    }

    [Fact]
    public void Cert_create_with_the_subscriber_role_makes_a_client_only_certificate()
    {
        var root = NewDirectory();
        var ca = Path.Combine(root, "ca");
        var file = Path.Combine(root, "subscriber.p12");
        Assert.Equal(0, RunVerb("fleet", "ca", "create", "--out", ca).Exit);

        var (exit, output, error) = RunVerb("fleet", "cert", "create", "--ca", ca, "--node", "ticket-bridge", "--role", "subscriber", "--out", file);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("role subscriber", output);
        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(file, null);
        var usages = loaded.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value);
        Assert.Equal([FleetCertificateIssuer.ClientAuth.Value], usages);
    }

    [Fact]
    public void The_verbs_say_what_they_wrote_and_never_print_a_key()
    {
        var root = NewDirectory();
        var ca = Path.Combine(root, "ca");
        var file = Path.Combine(root, "nas1.p12");

        var created = RunVerb("fleet", "ca", "create", "--out", ca);
        var issued = RunVerb("fleet", "cert", "create", "--ca", ca, "--node", "nas1", "--out", file);

        Assert.Equal((0, ""), (created.Exit, created.Error));
        Assert.Contains(Path.Combine(ca, "ca.crt"), created.Output);
        Assert.Contains(Path.Combine(ca, "ca.key"), created.Output);
        Assert.Equal((0, ""), (issued.Exit, issued.Error));
        Assert.Contains(file, issued.Output);
        Assert.Contains("CN=nas1, OU=node, O=DPlaneOS fleet", issued.Output);
        foreach (var printed in new[] { created.Output, issued.Output })
        {
            Assert.DoesNotContain("PRIVATE KEY", printed);
            Assert.DoesNotContain(File.ReadAllText(Path.Combine(ca, "ca.key")).Split('\n')[1], printed);
        }
    }

    [Theory]
    [InlineData(new[] { "fleet", "ca", "create" }, "dplaned: fleet ca create: --out DIR is required")]
    [InlineData(new[] { "fleet", "ca", "create", "--out" }, "dplaned: fleet ca create: --out needs a value")]
    [InlineData(new[] { "fleet", "ca", "create", "--out", "a", "--out", "b" }, "dplaned: fleet ca create: --out given twice")]
    [InlineData(new[] { "fleet", "ca", "create", "--force", "--out", "a" }, "dplaned: fleet ca create: unknown option '--force'")]
    [InlineData(new[] { "fleet", "ca", "create", "a" }, "dplaned: fleet ca create: unexpected argument 'a'")]
    [InlineData(new[] { "fleet", "cert", "create", "--ca", "c", "--out", "f" }, "dplaned: fleet cert create: --node NAME is required")]
    [InlineData(new[] { "fleet", "cert", "create", "--ca", "c", "--node", "nas_1", "--out", "f" }, "dplaned: fleet cert create: --node 'nas_1': " + NodeNames.Rule)]
    [InlineData(new[] { "fleet", "cert", "create", "--ca", "c", "--node", "nas1", "--out", "f", "--role", "admin" }, "dplaned: fleet cert create: --role 'admin': a role is 'node' or 'subscriber'")]
    [InlineData(new[] { "fleet", "cert", "create", "--ca", "c", "--node", "nas1", "--out", "f", "--host", "a b" }, "dplaned: fleet cert create: --host 'a b': a host is an IP address or a DNS name (dot-separated labels of 1 to 63 ASCII letters, digits and '-', not starting or ending with '-'; at most 253 characters)")]
    public void Bad_arguments_exit_2_with_one_line(string[] args, string expected)
    {
        var (exit, output, error) = RunVerb(args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(expected + Environment.NewLine, error);
    }

    [Fact]
    public void Bad_arguments_exit_2_through_main_and_write_nothing()
    {
        var root = NewDirectory();
        var file = Path.Combine(root, "x.p12");

        Assert.Equal(2, Program.Main(["fleet", "cert", "create", "--ca", root, "--node", "-rf", "--out", file]));
        Assert.Equal(2, Program.Main(["fleet", "cert", "create", "--ca", root, "--node", "nas1", "--out", file, "--password-file", Path.Combine(root, "missing")]));
        Assert.Equal(2, Program.Main(["--data-dir", root, "fleet", "ca", "create", "--out", root]));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void A_missing_CA_is_refused_with_exit_1_naming_the_file()
    {
        var root = NewDirectory();
        var (exit, _, error) = RunVerb("fleet", "cert", "create", "--ca", root, "--node", "nas1", "--out", Path.Combine(root, "nas1.p12"));

        Assert.Equal(1, exit);
        Assert.Equal($"dplaned: {root} holds no fleet CA: {Path.Combine(root, "ca.crt")} is missing (make one with 'dplaned fleet ca create --out DIR'){Environment.NewLine}", error);
        Assert.False(File.Exists(Path.Combine(root, "nas1.p12")));
    }

    [Fact]
    public void An_empty_password_file_is_a_bad_argument()
    {
        var root = NewDirectory();
        var passwordFile = Path.Combine(root, "empty");
        File.WriteAllText(passwordFile, "\n");

        var (exit, _, error) = RunVerb("fleet", "cert", "create", "--ca", root, "--node", "nas1", "--out", Path.Combine(root, "f.p12"), "--password-file", passwordFile);

        Assert.Equal(2, exit);
        Assert.Contains("the first line is empty", error);
    }
}
