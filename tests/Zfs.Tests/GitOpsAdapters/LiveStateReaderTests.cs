using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Samba;
using DPlaneOS.Zfs.Tests.Host;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class LiveStateReaderTests
{
    private const string ZfsGetAll = "zfs get -Hp -o name,property,value,source type,used,quota,compression,atime,mountpoint,recordsize,casesensitivity";

    private sealed class DialectOnly(HostResult<ZfsDialect> dialect) : IZpool
    {
        public Task<HostResult<ZfsDialect>> DialectAsync(CancellationToken cancellationToken = default) => Task.FromResult(dialect);
        public Task<HostResult<IReadOnlyList<PoolStatus>>> StatusAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<HostResult<IReadOnlyList<ZpoolListEntry>>> ListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<HostResult<IReadOnlyList<IostatEntry>>> IostatAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<HostResult<IReadOnlyList<ZpoolEvent>>> EventsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class StubSmbStatus(HostResult<SmbStatus> answer) : ISmbStatus
    {
        public Task<HostResult<SmbStatus>> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(answer);
    }

    private static readonly HostResult<SmbStatus> OneConnection = HostResult<SmbStatus>.Ok(new SmbStatus("4.17",
        [], [new SmbTreeConnect("1", "Media", "s1", "127.0.0.1", null, null), new SmbTreeConnect("2", "IPC$", "s1", "127.0.0.1", null, null)], []));

    private static (int, string, string) FromFixture(string name)
    {
        var text = Fixture.Read(name);
        if (!text.StartsWith("exit=", StringComparison.Ordinal)) return (0, text, "");
        var newline = text.IndexOf('\n');
        return (int.Parse(text[5..newline]), "", text[(newline + 1)..]);
    }

    /// <summary>The lab's zfs-fuse answers, as captured.</summary>
    private static (int, string, string) ZfsFuse(string line) => line switch
    {
        "zpool status" => FromFixture("zfs-fuse/zpool-status-gitops-gcap.txt"),
        "zpool get all gcap" => FromFixture("zfs-fuse/zpool-get-all-pool.txt"),
        ZfsGetAll => FromFixture("zfs-fuse/zfs-get-Hp-gitops-properties-all.txt"),
        ZfsGetAll + " -r -- gcap/nope" => FromFixture("zfs-fuse/zfs-get-Hp-gitops-missing-dataset-error.txt"),
        _ => (127, "", $"unexpected command {line}"),
    };

    private static string TempInclude(string? text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dplaned-include-").FullName, "shares.conf");
        if (text is not null) File.WriteAllText(path, text);
        return path;
    }

    private static LiveStateReader Reader(Func<string, (int, string, string)> answer, out ScriptedRunner runner, string? include = null,
        HostResult<SmbStatus>? smb = null, ZfsDialect dialect = ZfsDialect.ZfsFuse)
    {
        runner = new ScriptedRunner(answer);
        return new LiveStateReader(runner, new DialectOnly(HostResult<ZfsDialect>.Ok(dialect)), new StubSmbStatus(smb ?? OneConnection), new HostTools(),
            include ?? TempInclude(null));
    }

    [Fact]
    public async Task Reads_pools_datasets_shares_and_connections_with_one_zfs_get()
    {
        var include = TempInclude("[Media]\n\tpath = /gcap/media\n\tread only = no\n");
        var live = await Reader(ZfsFuse, out var runner, include).ReadAsync(CancellationToken.None);

        Assert.Empty(live.ProbeFailures);
        var pool = Assert.Single(live.Pools);
        Assert.Equal(["/dev/disk/by-id/ata-DPLANE_LAB_gcap_1", "/dev/disk/by-id/ata-DPLANE_LAB_gcap_2"], pool.Disks);
        Assert.Equal(4, live.Datasets.Count);
        Assert.Equal("Media", Assert.Single(live.Shares).Name);
        Assert.Equal(["Media"], live.ActiveShareNames);
        Assert.Single(runner.Calls, c => c.StartsWith("zfs get", StringComparison.Ordinal));
        Assert.DoesNotContain(runner.Calls, c => c.Contains(" -r ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenZfs_reads_full_vdev_paths_all_pool_properties_and_filesystems_only()
    {
        await Reader(line => line.StartsWith("zpool status", StringComparison.Ordinal)
            ? (0, Fixture.Read("zpool/zpool-status-P-hw-nvme-mirror-scrub-in-progress-eta.txt"), "")
            : (0, "", ""), out var runner, dialect: ZfsDialect.OpenZfs).ReadAsync(CancellationToken.None);
        Assert.Contains("zpool status -P", runner.Calls);
        Assert.Contains("zpool get -Hp -o name,property,value,source all", runner.Calls);
        Assert.Contains(runner.Calls, c => c.StartsWith("zfs get -Hp -o name,property,value,source -t filesystem type,used,", StringComparison.Ordinal)
                                           && c.Contains("encryption", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_failed_probe_is_a_probe_failure_never_an_empty_answer()
    {
        var live = await Reader(_ => (1, "", "internal error: something broke"), out _, TempInclude("[broken\n"),
            HostResult<SmbStatus>.Fail(new CommandError(CommandErrorKind.NotFound, "smbstatus --json", "cannot start 'smbstatus'"))).ReadAsync(CancellationToken.None);

        Assert.Equal(["samba include", "smbstatus", "zfs get", "zpool status"], live.ProbeFailures.Select(f => f.Probe).Order());
        Assert.Contains("something broke", live.ProbeFailures.Single(f => f.Probe == "zpool status").Message);
        Assert.Equal(ProbeImpact.Deletions, live.ProbeFailures.Single(f => f.Probe == "smbstatus").Impact);
        Assert.All(live.ProbeFailures.Where(f => f.Probe != "smbstatus"), f => Assert.Null(f.Scope));
    }

    [Fact]
    public async Task A_failed_dialect_probe_fails_pools_and_datasets()
    {
        var runner = new ScriptedRunner(ZfsFuse);
        var reader = new LiveStateReader(runner, new DialectOnly(new CommandError(CommandErrorKind.TimedOut, "zpool list -Hp -o name", "no answer within 30 s")),
            new StubSmbStatus(OneConnection), new HostTools(), TempInclude(null));
        var live = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(["zfs get", "zpool status"], live.ProbeFailures.Select(f => f.Probe).Order());
        Assert.DoesNotContain(runner.Calls, c => c.StartsWith("z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broken_pool_only_makes_its_own_datasets_unverifiable()
    {
        const string status = "  pool: good\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\tgood        ONLINE       0     0     0\n\t  disk/by-id/ata-A  ONLINE       0     0     0\n\nerrors: No known data errors\n\n"
                              + "  pool: bad\n state: UNAVAIL\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\tbad         UNAVAIL      0     0     0\n\t  disk/by-id/ata-B  UNAVAIL      0     0     0  cannot open\n\nerrors: No known data errors\n";
        var live = await Reader(line => line switch
        {
            "zpool status" => (0, status, ""),
            "zpool get all good bad" => (0, "", ""),
            ZfsGetAll => (1, "good\ttype\tfilesystem\t-\n", "cannot open 'bad': dataset does not exist"),
            ZfsGetAll + " -r -- good" => (0, "good\ttype\tfilesystem\t-\ngood\tused\t100\t-\ngood/a\ttype\tfilesystem\t-\ngood/a\tused\t5\t-\n", ""),
            ZfsGetAll + " -r -- bad" => (1, "", "cannot iterate filesystems: I/O error"),
            _ => (127, "", line),
        }, out _).ReadAsync(CancellationToken.None);

        Assert.Equal(["good", "good/a"], live.Datasets.Select(d => d.Name));
        var failure = Assert.Single(live.ProbeFailures);
        Assert.Equal("zfs get", failure.Probe);
        Assert.Equal("bad", failure.Scope);
        Assert.True(failure.Covers(ResourceKind.Dataset, "bad/x"));
        Assert.False(failure.Covers(ResourceKind.Dataset, "good/a"));
    }

    [Fact]
    public async Task A_scoped_read_of_a_dataset_that_does_not_exist_is_empty_not_a_failure()
    {
        var live = await Reader(ZfsFuse, out var runner).ReadForAsync(ResourceKind.Dataset, "gcap/nope", CancellationToken.None);
        Assert.Empty(live.Datasets);
        Assert.Empty(live.ProbeFailures);
        Assert.Equal([ZfsGetAll + " -r -- gcap/nope"], runner.Calls);
    }

    [Fact]
    public async Task A_scoped_share_read_reads_only_that_share_and_the_connections()
    {
        var include = TempInclude("[media]\n\tpath = /a\n[Other]\n\tpath = /b\n");
        var live = await Reader(ZfsFuse, out var runner, include).ReadForAsync(ResourceKind.Share, "MEDIA", CancellationToken.None);
        Assert.Equal("media", Assert.Single(live.Shares).Name);
        Assert.Contains("media", live.ActiveShareNames);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task A_missing_include_file_means_no_shares_yet()
    {
        var live = await Reader(ZfsFuse, out _).ReadForAsync(ResourceKind.Share, "x", CancellationToken.None);
        Assert.Empty(live.Shares);
        Assert.Empty(live.ProbeFailures);
    }
}
