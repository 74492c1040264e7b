using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Node;

public sealed class NodeIdentityFileTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("dplaned-identity-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private string FileText() => File.ReadAllText(Path.Combine(_dataDir, NodeIdentityFile.FileName));

    [Fact]
    public void A_new_install_is_journalled_under_its_host_name_and_keeps_it_after_a_rename()
    {
        Assert.Equal(new NodeIdentity("nas-old", "nas-old"), NodeIdentityFile.Resolve(_dataDir, null, "nas-old"));
        Assert.Equal("nas-old\n", FileText());

        var renamed = NodeIdentityFile.Resolve(_dataDir, null, "nas-new");

        Assert.Equal(new NodeIdentity("nas-new", "nas-old"), renamed);
        Assert.Equal("alert-router-nas-old", renamed.PersistenceId("alert-router"));
    }

    [Fact]
    public void A_new_install_with_a_node_name_is_journalled_under_it_and_setting_another_later_keeps_the_journals()
    {
        Assert.Equal(new NodeIdentity("vault", "vault"), NodeIdentityFile.Resolve(_dataDir, "vault", "nas1"));

        Assert.Equal(new NodeIdentity("vault-2", "vault"), NodeIdentityFile.Resolve(_dataDir, "vault-2", "nas1"));
        Assert.Equal(new NodeIdentity("nas1", "vault"), NodeIdentityFile.Resolve(_dataDir, null, "nas1"));
    }

    [Theory]
    [InlineData("dplaneos.db")]
    [InlineData(AuditKey.FileName)]
    public void An_install_of_an_earlier_version_keeps_the_host_name_its_persistence_ids_were_written_under(string existing)
    {
        File.WriteAllText(Path.Combine(_dataDir, existing), "");

        Assert.Equal(new NodeIdentity("vault", "nas1"), NodeIdentityFile.Resolve(_dataDir, "vault", "nas1"));
        Assert.Equal("nas1\n", FileText());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("two words")]
    public void An_identity_file_that_holds_no_single_name_stops_the_start(string content)
    {
        File.WriteAllText(Path.Combine(_dataDir, NodeIdentityFile.FileName), content);

        var error = Assert.Throws<InvalidDataException>(() => NodeIdentityFile.Resolve(_dataDir, null, "nas1"));
        Assert.Contains(NodeIdentityFile.FileName, error.Message);
    }

    [Theory]
    [InlineData("nas 01")]
    [InlineData("-nas")]
    [InlineData("nas_01")]
    [InlineData("nas/../x")]
    public void A_configured_node_name_that_is_not_a_dns_name_stops_the_start_and_writes_nothing(string name)
    {
        var error = Assert.Throws<InvalidOperationException>(() => NodeIdentityFile.Resolve(_dataDir, name, "nas1"));
        Assert.Equal($"DPlaneOS:NodeName '{name}': {NodeNames.Rule}", error.Message);
        Assert.False(File.Exists(Path.Combine(_dataDir, NodeIdentityFile.FileName)));
    }

    [Theory]
    [InlineData("nas-01")]
    [InlineData("nas-01.lan")]
    [InlineData("N1")]
    public void Dns_style_node_names_are_accepted(string name) => Assert.Null(NodeNames.Error(name));

    [Fact]
    public void A_node_name_longer_than_a_dns_label_is_refused() =>
        Assert.Equal(NodeNames.Rule, NodeNames.Error(new string('a', 64)));
}
