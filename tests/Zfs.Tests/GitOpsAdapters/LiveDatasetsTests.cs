using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class LiveDatasetsTests
{
    [Fact]
    public void Filesystems_get_used_bytes_and_managed_properties_and_snapshots_are_left_out()
    {
        var rows = ZfsGetParser.Parse(Fixture.Read("zfs-fuse/zfs-get-Hp-gitops-properties-all.txt")).Value;
        var datasets = LiveDatasets.From(ZfsDatasetProperties.Group(rows), ZfsDialect.ZfsFuse);
        Assert.Equal(["gcap", "gcap/backup", "gcap/data", "gcap/data/projects"], datasets.Select(d => d.Name));
        var projects = datasets.Single(d => d.Name == "gcap/data/projects");
        Assert.Equal(114688, projects.UsedBytes);
        Assert.Equal("52428800", projects.Property("quota"));
        Assert.Equal("gzip", projects.Property("compression"));
        Assert.Equal("/var/tmp/dplaneos-lab/mnt/gcap/data/projects", projects.Property("mountpoint"));
        Assert.Equal("none", datasets.Single(d => d.Name == "gcap/backup").Property("mountpoint"));
        // zfs-fuse has no encryption at all: reported as off, which is the truth.
        Assert.All(datasets, d => Assert.Equal("off", d.Property("encryption")));
        Assert.All(datasets, d => Assert.DoesNotContain("type", d.Properties.Keys));
    }

    [Fact]
    public void OpenZfs_is_asked_for_encryption_and_zfs_fuse_is_not()
    {
        Assert.Contains("encryption", LiveDatasets.Properties(ZfsDialect.OpenZfs));
        Assert.DoesNotContain("encryption", LiveDatasets.Properties(ZfsDialect.ZfsFuse));
        Assert.Equal(["type", "used"], LiveDatasets.Properties(ZfsDialect.ZfsFuse).Take(2));
    }

    [Fact]
    public void A_missing_used_value_stays_unknown()
    {
        var rows = ZfsGetParser.Parse("tank/a\ttype\tfilesystem\t-\ntank/a\tused\t-\t-\ntank/a\tencryption\taes-256-gcm\tlocal\n").Value;
        var ds = Assert.Single(LiveDatasets.From(ZfsDatasetProperties.Group(rows), ZfsDialect.OpenZfs));
        Assert.Null(ds.UsedBytes);
        Assert.Equal("aes-256-gcm", ds.Property("encryption"));
    }
}
