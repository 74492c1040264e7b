using DPlaneOS.Actors.Node;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DPlaneOS.Actors.Fleet.Certificates;

namespace DPlaneOS.Actors.Tests.Fleet;

public sealed class FleetCertificateTests
{
    private static readonly TimeProvider Now = TimeProvider.System;

    private static string NewDirectory() => Directory.CreateTempSubdirectory("dplaned-fleet-").FullName;

    private static FleetCertificateAuthority NewCa(TimeProvider? time = null) =>
        FleetCertificateAuthority.Create(Path.Combine(NewDirectory(), "ca"), time ?? Now);

    private static FleetTrust TrustOf(FleetCertificateAuthority ca, TimeProvider? time = null) => new(ca.PublicCertificate(), time ?? Now);

    [Fact]
    public void A_new_CA_is_written_as_PEM_with_an_owner_only_key_and_loads_back()
    {
        var directory = Path.Combine(NewDirectory(), "ca");
        using var created = FleetCertificateAuthority.Create(directory, Now);

        var certificatePath = Path.Combine(directory, FleetCertificateAuthority.CertificateFileName);
        var keyPath = Path.Combine(directory, FleetCertificateAuthority.KeyFileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(certificatePath) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(directory) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(certificatePath));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(keyPath));

        using var loaded = FleetCertificateAuthority.Load(directory);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal(created.Certificate.Thumbprint, loaded.Certificate.Thumbprint);

        var ca = loaded.Certificate;
        Assert.Equal(ca.SubjectName.RawData, ca.IssuerName.RawData);
        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Single(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.NotNull(ca.GetECDsaPublicKey());
        Assert.InRange((ca.NotAfter - ca.NotBefore).TotalDays, 3650, 3660);

        using var publicOnly = FleetCertificateAuthority.LoadCertificate(certificatePath);
        Assert.False(publicOnly.HasPrivateKey);
        Assert.Equal(ca.Thumbprint, publicOnly.Thumbprint);
    }

    [Theory]
    [InlineData(FleetCertificateAuthority.CertificateFileName)]
    [InlineData(FleetCertificateAuthority.KeyFileName)]
    public void A_CA_is_never_written_over_an_existing_one(string present)
    {
        var directory = NewDirectory();
        File.WriteAllText(Path.Combine(directory, present), "the old CA");

        var refused = Assert.Throws<FleetCertificateException>(() => FleetCertificateAuthority.Create(directory, Now));

        Assert.Contains("refusing to overwrite", refused.Message);
        Assert.Equal("the old CA", File.ReadAllText(Path.Combine(directory, present)));
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public void A_second_create_in_the_same_directory_is_refused_and_keeps_the_first_CA()
    {
        var directory = NewDirectory();
        using var first = FleetCertificateAuthority.Create(directory, Now);

        Assert.Throws<FleetCertificateException>(() => FleetCertificateAuthority.Create(directory, Now));

        using var loaded = FleetCertificateAuthority.Load(directory);
        Assert.Equal(first.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
    }

    [Fact]
    public void Loading_a_directory_without_a_CA_says_which_file_is_missing()
    {
        var directory = NewDirectory();
        var missing = Assert.Throws<FleetCertificateException>(() => FleetCertificateAuthority.Load(directory));
        Assert.Contains(Path.Combine(directory, FleetCertificateAuthority.CertificateFileName), missing.Message);
    }

    [Fact]
    public void A_node_certificate_chains_to_its_CA_and_is_accepted_with_its_name_and_role()
    {
        using var ca = NewCa();
        using var issued = new FleetCertificateIssuer(ca, Now).Issue("nas1", FleetRole.Node, ["nas1.lab", "10.0.0.5"]);

        var verdict = TrustOf(ca).Validate(issued);

        Assert.Null(verdict.Refusal);
        Assert.Equal(new FleetPeer("nas1", FleetRole.Node), verdict.Peer);
        Assert.Equal("CN=nas1, OU=node, O=DPlaneOS fleet", issued.Subject);
        Assert.Equal(ca.Certificate.SubjectName.RawData, issued.IssuerName.RawData);
        Assert.True(issued.HasPrivateKey);
        Assert.InRange((issued.NotAfter - issued.NotBefore).TotalDays, 729, 731);
        Assert.Equal([FleetCertificateIssuer.ServerAuth.Value!, FleetCertificateIssuer.ClientAuth.Value!], Usages(issued));
        var names = Assert.Single(issued.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["nas1", "nas1.lab"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.0.0.5")], names.EnumerateIPAddresses());
        var authorityKey = Assert.Single(issued.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        var caKey = Assert.Single(ca.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal(Convert.FromHexString(caKey.SubjectKeyIdentifier!), authorityKey.KeyIdentifier!.Value.ToArray());
        Assert.False(Assert.Single(issued.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
    }

    [Fact]
    public void A_subscriber_certificate_is_a_client_only_and_is_refused_where_a_node_is_required()
    {
        using var ca = NewCa();
        using var issued = new FleetCertificateIssuer(ca, Now).Issue("backup-orchestrator", FleetRole.Subscriber);
        var trust = TrustOf(ca);

        Assert.Equal([FleetCertificateIssuer.ClientAuth.Value!], Usages(issued));
        Assert.Contains("OU=subscriber", issued.Subject);
        Assert.Equal(new FleetPeer("backup-orchestrator", FleetRole.Subscriber), trust.Validate(issued).Peer);
        Assert.Equal(new FleetPeer("backup-orchestrator", FleetRole.Subscriber), trust.Validate(issued, FleetRole.Subscriber).Peer);
        var asNode = trust.Validate(issued, FleetRole.Node);
        Assert.False(asNode.Accepted);
        Assert.Contains("a subscriber certificate where a node is required", asNode.Refusal);
    }

    [Fact]
    public void A_certificate_from_another_CA_is_refused()
    {
        using var fleet = NewCa();
        using var other = NewCa();
        using var stranger = new FleetCertificateIssuer(other, Now).Issue("nas1", FleetRole.Node);

        var verdict = TrustOf(fleet).Validate(stranger);

        Assert.False(verdict.Accepted);
        Assert.Contains("does not chain to the fleet CA", verdict.Refusal);
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        var threeYearsAgo = new FixedTime(DateTimeOffset.UtcNow.AddYears(-3));
        using var ca = NewCa(threeYearsAgo);
        using var expired = new FleetCertificateIssuer(ca, threeYearsAgo).Issue("nas1", FleetRole.Node);
        Assert.True(expired.NotAfter < DateTime.Now);

        var verdict = TrustOf(ca).Validate(expired);

        Assert.False(verdict.Accepted);
        Assert.Contains("not valid now", verdict.Refusal);
        // The same certificate, judged at a time inside its validity, is a member: only time refuses it.
        Assert.True(TrustOf(ca, new FixedTime(DateTimeOffset.UtcNow.AddYears(-2))).Validate(expired).Accepted);
    }

    [Fact]
    public void A_certificate_not_yet_valid_is_refused()
    {
        using var ca = NewCa();
        using var issued = new FleetCertificateIssuer(ca, Now).Issue("nas1", FleetRole.Node, null, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30));

        Assert.Contains("not valid now", TrustOf(ca).Validate(issued).Refusal);
    }

    [Fact]
    public void A_certificate_is_never_issued_past_the_end_of_its_CA()
    {
        var nineYearsAgo = new FixedTime(DateTimeOffset.UtcNow.AddYears(-9).AddDays(-180));
        using var ca = NewCa(nineYearsAgo);
        using var issued = new FleetCertificateIssuer(ca, Now).Issue("nas1", FleetRole.Node);

        Assert.Equal(ca.Certificate.NotAfter, issued.NotAfter);
        Assert.True(TrustOf(ca).Validate(issued).Accepted);
    }

    [Fact]
    public void A_self_signed_certificate_with_the_CA_subject_is_refused()
    {
        using var ca = NewCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(ca.Certificate.SubjectName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var impostor = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        var trust = TrustOf(ca);
        Assert.False(trust.Validate(impostor).Accepted);
        // Nor does a CA of that subject, presented as the root of a forged chain, make its leaf a member.
        using var forgedLeaf = Leaf(impostor, "nas1", "node", [FleetCertificateIssuer.ServerAuth, FleetCertificateIssuer.ClientAuth]);
        var verdict = trust.Validate(forgedLeaf);
        Assert.False(verdict.Accepted);
        Assert.Contains("does not chain to the fleet CA", verdict.Refusal);
    }

    [Fact]
    public void A_self_signed_node_certificate_is_refused()
    {
        using var ca = NewCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=nas1, OU=node, O=DPlaneOS fleet", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([FleetCertificateIssuer.ServerAuth, FleetCertificateIssuer.ClientAuth], false));
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        Assert.Contains("does not chain to the fleet CA", TrustOf(ca).Validate(selfSigned).Refusal);
    }

    [Fact]
    public void The_CA_certificate_itself_is_not_a_member()
    {
        using var ca = NewCa();
        Assert.Contains("a CA certificate is not a fleet member's certificate", TrustOf(ca).Validate(ca.PublicCertificate()).Refusal);
    }

    [Theory]
    [InlineData("node", new[] { "1.3.6.1.5.5.7.3.1" }, "no clientAuth extended key usage")]
    [InlineData("node", new[] { "1.3.6.1.5.5.7.3.2" }, "a node certificate without serverAuth extended key usage")]
    [InlineData("admin", new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" }, "the OU is not one fleet role")]
    [InlineData(null, new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" }, "the OU is not one fleet role")]
    public void A_certificate_from_the_CA_without_the_right_role_or_usage_is_refused(string? role, string[] usages, string expected)
    {
        using var ca = NewCa();
        using var leaf = Leaf(ca.Certificate, "nas1", role, usages.Select(u => new Oid(u)).ToArray());

        Assert.Contains(expected, TrustOf(ca).Validate(leaf).Refusal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-nas1")]
    [InlineData("nas1-")]
    [InlineData(".nas1")]
    [InlineData("nas 1")]
    [InlineData("nas_1")]
    [InlineData("nas1/evil")]
    [InlineData("CN=x,OU=node")]
    [InlineData("nás1")]
    [InlineData("a123456789a123456789a123456789a123456789a123456789a123456789abcd")]
    public void Invalid_node_names_are_refused(string name)
    {
        Assert.Equal(NodeNames.Rule, NodeNames.Error(name));
        using var ca = NewCa();
        var refused = Assert.Throws<FleetCertificateException>(() => new FleetCertificateIssuer(ca, Now).Issue(name, FleetRole.Node));
        Assert.Contains("is not a node name", refused.Message);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("nas1")]
    [InlineData("NAS-1.lab.example")]
    [InlineData("a123456789a123456789a123456789a123456789a123456789a123456789abc")]
    public void Valid_node_names_are_accepted(string name) => Assert.Null(NodeNames.Error(name));

    [Theory]
    [InlineData("bad host")]
    [InlineData("-x.lab")]
    [InlineData("a..b")]
    public void A_bad_host_name_is_refused(string host)
    {
        using var ca = NewCa();
        var refused = Assert.Throws<FleetCertificateException>(() => new FleetCertificateIssuer(ca, Now).Issue("nas1", FleetRole.Node, [host]));
        Assert.Contains($"--host '{host}'", refused.Message);
    }

    [Fact]
    public void The_PKCS12_file_is_owner_only_and_holds_the_key_the_certificate_and_the_CA()
    {
        using var ca = NewCa();
        var path = Path.Combine(NewDirectory(), "nas1.p12");
        using var issued = new FleetCertificateIssuer(ca, Now).IssueToFile(path, "nas1", FleetRole.Node, password: "s3cret");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var contents = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, "s3cret");
        Assert.Equal(2, contents.Count);
        var node = Assert.Single(contents, c => c.HasPrivateKey);
        Assert.Equal(issued.Thumbprint, node.Thumbprint);
        Assert.Contains(contents, c => c.Thumbprint == ca.Certificate.Thumbprint && !c.HasPrivateKey);
        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12CollectionFromFile(path, "wrong"));

        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(path, "s3cret");
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(new FleetPeer("nas1", FleetRole.Node), TrustOf(ca).Validate(loaded).Peer);
    }

    [Fact]
    public void The_PKCS12_file_loads_back_as_the_node_certificate_with_its_key()
    {
        using var ca = NewCa();
        var path = Path.Combine(NewDirectory(), "nas1.p12");
        using var issued = new FleetCertificateIssuer(ca, Now).IssueToFile(path, "nas1", FleetRole.Node, password: "pw");

        using var loaded = FleetCertificateFile.Load(path, "pw");

        Assert.Equal(issued.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.Contains("wrong password", Assert.Throws<FleetCertificateException>(() => FleetCertificateFile.Load(path, "nope")).Message);
        Assert.Throws<FleetCertificateException>(() => FleetCertificateFile.Load(path + ".missing", null));
    }

    [Fact]
    public void A_PKCS12_file_without_a_password_loads_without_one()
    {
        using var ca = NewCa();
        var path = Path.Combine(NewDirectory(), "nas2.p12");
        using var issued = new FleetCertificateIssuer(ca, Now).IssueToFile(path, "nas2", FleetRole.Node);

        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        Assert.Equal(issued.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
    }

    [Fact]
    public void A_PKCS12_file_is_never_written_over_an_existing_file()
    {
        using var ca = NewCa();
        var path = Path.Combine(NewDirectory(), "nas1.p12");
        File.WriteAllText(path, "someone else's");

        var refused = Assert.Throws<FleetCertificateException>(() => new FleetCertificateIssuer(ca, Now).IssueToFile(path, "nas1", FleetRole.Node));

        Assert.Contains("refusing to overwrite", refused.Message);
        Assert.Equal("someone else's", File.ReadAllText(path));
    }

    [Fact]
    public void The_TLS_callback_accepts_a_member_and_refuses_a_stranger_or_no_certificate()
    {
        using var fleet = NewCa();
        using var other = NewCa();
        using var member = new FleetCertificateIssuer(fleet, Now).Issue("nas1", FleetRole.Node);
        using var stranger = new FleetCertificateIssuer(other, Now).Issue("nas1", FleetRole.Node);
        var refusals = new List<FleetTrustVerdict>();
        var callback = TrustOf(fleet).TlsCallback(refusals.Add);

        // The platform's own chain verdict (the machine's store lacks the fleet CA) is set aside.
        Assert.True(callback(this, member, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(callback(this, stranger, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(callback(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.Equal(2, refusals.Count);
        Assert.Equal("no certificate presented", refusals[1].Refusal);
    }

    [Fact]
    public void Trust_reads_the_CA_from_its_PEM_file()
    {
        var directory = NewDirectory();
        using var ca = FleetCertificateAuthority.Create(directory, Now);
        using var issued = new FleetCertificateIssuer(ca, Now).Issue("nas1", FleetRole.Node);

        var trust = FleetTrust.FromCaFile(Path.Combine(directory, FleetCertificateAuthority.CertificateFileName), Now);

        Assert.True(trust.Validate(issued).Accepted);
        Assert.True(trust.Validate(issued).Accepted);
        Assert.Throws<FleetCertificateException>(() => FleetTrust.FromCaFile(Path.Combine(directory, FleetCertificateAuthority.KeyFileName), Now));
    }

    private static string[] Usages(X509Certificate2 certificate) =>
        Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!).ToArray();

    /// <summary>A leaf signed by <paramref name="issuer"/> with the subject and usages given, built by hand.</summary>
    private static X509Certificate2 Leaf(X509Certificate2 issuer, string name, string? role, Oid[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = role is null ? $"CN={name}" : $"CN={name}, OU={role}";
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usageCollection = new OidCollection();
        foreach (var usage in usages) usageCollection.Add(usage);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usageCollection, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        return request.Create(issuer, new DateTimeOffset(issuer.NotBefore.ToUniversalTime()), DateTimeOffset.UtcNow.AddDays(30), serial);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
