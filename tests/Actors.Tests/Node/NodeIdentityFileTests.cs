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
}
