using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.Tests.GitOps.State;
using static DPlaneOS.Zfs.Tests.GitOps.GitOpsFixtures;

namespace DPlaneOS.Zfs.Tests.GitOps;

/// <summary>
/// Every case of the original <c>gitops_test.go</c> (spec/gitops.md §9), named after it. Where our
/// contract differs on purpose (unmanaged by default, fail-closed probes), the test says so.
/// </summary>
public sealed class OriginalSuiteTests
{
    [Fact]
    public void ParseStateYAML_Valid()
    {
        var result = StateFileParser.Parse(StateYaml.Valid);
        Assert.True(result.IsValid, result.ToString());
        var pool = Assert.Single(result.State.Pools);
        Assert.Equal(("tank", VdevType.Mirror, 2), (pool.Name, pool.VdevType, pool.Disks.Count));
        var ds = Assert.Single(result.State.Datasets);
        Assert.Equal(2L * 1024 * 1024 * 1024 * 1024, ds.QuotaBytes); // "2T", typed
        Assert.Equal("media", Assert.Single(result.State.Shares).Name);
    }

    [Fact]
    public void ParseStateYAML_WrongVersion()
    {
        var result = StateFileParser.Parse("version: \"99\"\npools: []\ndatasets: []\nshares: []\n");
        Assert.Contains("version", Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("/dev/sda")]
    [InlineData("/dev/sdb1")]
    [InlineData("/dev/nvme0n1")]
    [InlineData("sda")]
    [InlineData("/dev/disk/by-path/pci-0000")]
    public void ByIDRule_RejectsDevSdX(string disk)
    {
        var result = StateFileParser.Parse($"version: 1\npools:\n  - name: tank\n    vdev_type: mirror\n    disks: [{disk}, {StateYaml.Disk2}]\n");
        Assert.Contains("by-id", Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K1234567")]
    [InlineData("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4")]
    [InlineData("/dev/disk/by-id/scsi-3600508b1001c4d5e6f")]
    public void ByIDRule_AcceptsByIDPaths(string disk)
    {
        var result = StateFileParser.Parse($"version: 1\npools:\n  - name: tank\n    vdev_type: mirror\n    disks: [{disk}, {StateYaml.Disk2}]\n");
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void ValidState_DuplicatePool()
    {
        var result = StateFileParser.Parse($"version: 1\npools:\n  - {{name: tank, vdev_type: stripe, disks: [{StateYaml.Disk1}]}}\n  - {{name: tank, vdev_type: stripe, disks: [{StateYaml.Disk2}]}}\n");
        Assert.Contains(result.Errors, e => e.Message.Contains("duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidState_InvalidCompression() =>
        Assert.NotEmpty(StateFileParser.Parse("version: 1\ndatasets:\n  - {name: tank/x, compression: brotli}\n", new HashSet<string> { "tank" }).Errors);

    [Fact]
    public void ValidState_BadAshift() =>
        Assert.NotEmpty(StateFileParser.Parse($"version: 1\npools:\n  - {{name: tank, vdev_type: stripe, ashift: 17, disks: [{StateYaml.Disk1}]}}\n").Errors);

    [Fact]
    public void ValidState_RelativeSharePath() =>
        Assert.NotEmpty(StateFileParser.Parse("version: 1\nshares:\n  - {name: media, path: relative/path}\n").Errors);

    [Fact]
    public void ComputeDiff_AllNOP()
    {
        var desired = Desired([Pool()], [new DesiredDataset("tank/data", Compression: "lz4", Atime: false)], [Share()]);
        var live = Live([LivePool()], [LiveDs("tank"), LiveDs("tank/data", 1, ("compression", "lz4"), ("atime", "off"))], [SmbShare()]);
        var summary = PlanBuilder.Build(desired, live).Summary;
        Assert.Equal((0, 0, 0, 0, 3), (summary.Create, summary.Modify, summary.Delete, summary.Blocked, summary.Nop));
        Assert.False(summary.HasBlocked);
    }

    [Fact]
    public void ComputeDiff_CreateDataset()
    {
        var plan = PlanBuilder.Build(Desired(datasets: [new DesiredDataset("tank/new")]), Live());
        Assert.Equal(1, plan.Summary.Create);
        Assert.Equal(PlanAction.Create, plan.Items[0].Action);
    }

    [Fact]
    public void ComputeDiff_ModifyDatasetCompression()
    {
        var plan = PlanBuilder.Build(Desired(datasets: [new DesiredDataset("tank/data", Compression: "zstd")]),
            LiveTank(LiveDs("tank/data", 1, ("compression", "lz4"))));
        Assert.Equal(1, plan.Summary.Modify);
        Assert.Equal(PlanAction.Modify, plan.Items[0].Action);
        Assert.Equal("compression", plan.Items[0].Changes[0].Property);
    }

    /// <summary>Differs on purpose: an undeclared pool is unmanaged unless prune_pools is on (weakness #3).</summary>
    [Fact]
    public void BlockedContract_PoolDestroyAlwaysBlocked()
    {
        var plan = PlanBuilder.Build(Desired(prunePools: true), Live([LivePool()]));
        Assert.True(plan.Summary.Blocked >= 1);
        Assert.Equal(0, plan.Summary.Delete);
        Assert.Equal((PlanAction.Blocked, PlanRisk.Critical), (plan.Items[0].Action, plan.Items[0].Risk));
        Assert.Contains("manually", plan.Items[0].Reason);
        Assert.Empty(plan.Items[0].Commands);
        Assert.False(plan.Items[0].RequiresApproval);
    }

    /// <summary>The original could not test this branch; with an injected live model it is deterministic.</summary>
    [Fact]
    public void BlockedContract_NonEmptyDatasetBlocked()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)]), LiveTank(LiveDs("tank/old", GiB)));
        var item = Only(plan, "dataset:tank/old");
        Assert.Equal((PlanAction.Blocked, PlanRisk.Critical, true), (item.Action, item.Risk, item.RequiresApproval));
        Assert.Contains("1.0 GiB", item.Reason);
        Assert.Equal([Cmd("zfs", "destroy", "--", "tank/old")], item.Commands);
        Assert.Equal(0, plan.Summary.Delete);
    }

    [Fact]
    public void BlockedContract_humanReadableReason()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired(prunePools: true), Live([LivePool("backup")])).Items);
        Assert.Equal(PlanAction.Blocked, item.Action);
        Assert.Contains("zpool", item.Reason);
        Assert.Contains("manually", item.Reason);
    }

    [Fact]
    public void BlockedContract_EmptyDatasetIsSafeDelete()
    {
        var item = Only(PlanBuilder.Build(Desired([Pool(prune: true)]), LiveTank(LiveDs("tank/empty", 0))), "dataset:tank/empty");
        Assert.Equal((PlanAction.Delete, PlanRisk.Medium), (item.Action, item.Risk));
        Assert.Equal([Cmd("zfs", "destroy", "--", "tank/empty")], item.Commands);
    }

    /// <summary>"" is no longer a quota: an empty value in state.yaml is an error, not silently 0.</summary>
    [Theory]
    [InlineData("none", 0L)]
    [InlineData("0", 0L)]
    [InlineData("1T", 1099511627776L)]
    [InlineData("500G", 536870912000L)]
    [InlineData("100M", 104857600L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("10g", 10737418240L)]
    [InlineData("1.5K", 1536L)]
    public void ParseQuota(string text, long bytes)
    {
        Assert.True(ZfsValues.TryParseQuota(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2TB")]
    [InlineData("8E")]
    [InlineData("ten")]
    public void ParseQuota_rejects_what_the_original_read_as_zero(string text) => Assert.False(ZfsValues.TryParseQuota(text, out _));

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(1048576L, "1.0 MiB")]
    [InlineData(1073741824L, "1.0 GiB")]
    [InlineData(2147483648L, "2.0 GiB")]
    public void HumaniseBytes(long bytes, string text) => Assert.Equal(text, HumanBytes.Format(bytes));

    /// <summary>No change strings are re-parsed any more: the change is typed and the command carries the value.</summary>
    [Fact]
    public void ParseChangeString()
    {
        var item = PlanBuilder.Build(Desired(datasets: [new DesiredDataset("tank/data", Compression: "zstd")]),
            LiveTank(LiveDs("tank/data", 1, ("compression", "lz4")))).Items[0];
        var change = Assert.Single(item.Changes);
        Assert.Equal(("compression", "lz4", "zstd"), (change.Property, change.From, change.To));
        Assert.Equal("compression: lz4 → zstd", change.ToString());
        Assert.Equal([Cmd("zfs", "set", "compression=zstd", "tank/data")], item.Commands);
    }

    /// <summary>Text that is not a value cannot reach a command: the parser rejects it first.</summary>
    [Fact]
    public void ParseChangeString_Invalid()
    {
        var result = StateFileParser.Parse("version: 1\ndatasets:\n  - name: tank/x\n    compression: no arrow here\n", new HashSet<string> { "tank" });
        Assert.StartsWith("compression 'no arrow here' is not known to ZFS", Assert.Single(result.Errors).Message);
    }
}
