using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using static DPlaneOS.Zfs.Tests.GitOps.GitOpsFixtures;

namespace DPlaneOS.Zfs.Tests.GitOps.Planning;

/// <summary>Table of diff-engine cases beyond the original suite: unmanaged scope, normalisation, topology, probes.</summary>
public sealed class PlanBuilderTests
{
    public static TheoryData<string, DesiredDataset, LiveDataset, PlanAction> NormalisationCases => new()
    {
        { "quota 10G equals 10737418240 bytes", new("tank/a", QuotaBytes: 10 * GiB), LiveDs("tank/a", 1, ("quota", "10737418240")), PlanAction.Nop },
        { "quota none equals live 0", new("tank/a", QuotaBytes: 0), LiveDs("tank/a", 1, ("quota", "0")), PlanAction.Nop },
        { "quota none equals live none", new("tank/a", QuotaBytes: 0), LiveDs("tank/a", 1, ("quota", "none")), PlanAction.Nop },
        { "quota differs", new("tank/a", QuotaBytes: 10 * GiB), LiveDs("tank/a", 1, ("quota", "0")), PlanAction.Modify },
        { "compression on equals lz4", new("tank/a", Compression: "on"), LiveDs("tank/a", 1, ("compression", "lz4")), PlanAction.Nop },
        { "compression gzip equals gzip-6", new("tank/a", Compression: "gzip"), LiveDs("tank/a", 1, ("compression", "gzip-6")), PlanAction.Nop },
        { "compression zstd equals zstd-3", new("tank/a", Compression: "zstd"), LiveDs("tank/a", 1, ("compression", "zstd")), PlanAction.Nop },
        { "compression zstd-3 vs zstd-9", new("tank/a", Compression: "zstd-3"), LiveDs("tank/a", 1, ("compression", "zstd-9")), PlanAction.Modify },
        { "atime off", new("tank/a", Atime: false), LiveDs("tank/a", 1, ("atime", "off")), PlanAction.Nop },
        { "atime differs", new("tank/a", Atime: true), LiveDs("tank/a", 1, ("atime", "off")), PlanAction.Modify },
        { "inherited mountpoint with the declared value is in sync", new("tank/a", Mountpoint: "/tank/a"), LiveDs("tank/a", 1, ("mountpoint", "/tank/a")), PlanAction.Nop },
        { "recordsize 1M equals 1048576", new("tank/a", RecordsizeBytes: 1024 * 1024), LiveDs("tank/a", 1, ("recordsize", "1048576")), PlanAction.Nop },
        { "encryption on equals aes-256-gcm", new("tank/a", Encryption: "on", KeyFormat: "raw", KeyLocation: "file:///k"), LiveDs("tank/a", 1, ("encryption", "aes-256-gcm")), PlanAction.Nop },
        { "encryption off to on requires recreate", new("tank/a", Encryption: "on", KeyFormat: "raw", KeyLocation: "file:///k"), LiveDs("tank/a", 1, ("encryption", "off")), PlanAction.Blocked },
        { "casesensitivity requires recreate", new("tank/a", CaseSensitivity: "insensitive"), LiveDs("tank/a", 1, ("casesensitivity", "sensitive")), PlanAction.Blocked },
        { "unmanaged properties are ignored", new("tank/a"), LiveDs("tank/a", 1, ("compression", "off"), ("quota", "5")), PlanAction.Nop },
        { "unknown live value is set again", new("tank/a", Compression: "lz4"), LiveDs("tank/a", 1), PlanAction.Modify },
    };

    [Theory]
    [MemberData(nameof(NormalisationCases))]
    public void Dataset_values_compare_after_normalisation(string because, DesiredDataset desired, LiveDataset live, PlanAction expected)
    {
        var item = Only(PlanBuilder.Build(Desired(datasets: [desired]), LiveTank(live)), "dataset:tank/a");
        Assert.True(expected == item.Action, $"{because}: got {item}");
        if (expected == PlanAction.Blocked)
        {
            Assert.Contains("requires recreate", item.Reason);
            Assert.Empty(item.Commands);
            Assert.False(item.RequiresApproval);
        }
    }

    [Fact]
    public void Quota_modify_sets_bytes_and_none()
    {
        var plan = PlanBuilder.Build(Desired(datasets: [new("tank/a", QuotaBytes: 10 * GiB), new("tank/b", QuotaBytes: 0)]),
            LiveTank(LiveDs("tank/a", 1, ("quota", "0")), LiveDs("tank/b", 1, ("quota", "1024"))));
        Assert.Equal([Cmd("zfs", "set", "quota=10737418240", "tank/a")], Only(plan, "dataset:tank/a").Commands);
        Assert.Equal([Cmd("zfs", "set", "quota=none", "tank/b")], Only(plan, "dataset:tank/b").Commands);
    }

    [Fact]
    public void Mountpoint_change_is_medium_risk()
    {
        var item = PlanBuilder.Build(Desired(datasets: [new("tank/a", Mountpoint: "/srv/a")]), LiveTank(LiveDs("tank/a", 1, ("mountpoint", "/tank/a")))).Items[0];
        Assert.Equal((PlanAction.Modify, PlanRisk.Medium), (item.Action, item.Risk));
        Assert.Equal([Cmd("zfs", "set", "mountpoint=/srv/a", "tank/a")], item.Commands);
    }

    [Fact]
    public void Dataset_create_passes_every_property_and_creates_parents_first()
    {
        var desired = Desired(datasets:
        [
            new("tank/a/b", QuotaBytes: GiB, Compression: "zstd-3", Atime: false, Mountpoint: "/srv/b", RecordsizeBytes: 1024 * 1024),
            new("tank/a", Encryption: "aes-256-gcm", KeyFormat: "raw", KeyLocation: "file:///etc/k", CaseSensitivity: "insensitive"),
        ]);
        var plan = PlanBuilder.Build(desired, LiveTank());
        Assert.Equal(["dataset:tank/a", "dataset:tank/a/b"], plan.Items.Select(i => i.Id));
        Assert.Equal([Cmd("zfs", "create", "-p", "-o", "encryption=aes-256-gcm", "-o", "casesensitivity=insensitive", "-o", "keyformat=raw", "-o", "keylocation=file:///etc/k", "--", "tank/a")],
            plan.Items[0].Commands);
        Assert.Equal([Cmd("zfs", "create", "-p", "-o", "quota=1073741824", "-o", "compression=zstd-3", "-o", "atime=off", "-o", "mountpoint=/srv/b", "-o", "recordsize=1048576", "--", "tank/a/b")],
            plan.Items[1].Commands);
    }

    [Fact]
    public void Pool_root_declared_with_a_new_pool_is_set_after_zpool_create()
    {
        var plan = PlanBuilder.Build(Desired([Pool()], [new("tank", Compression: "lz4")]), Live());
        Assert.Equal(["pool:tank", "dataset:tank"], plan.Items.Select(i => i.Id));
        Assert.Equal([Cmd("zfs", "set", "compression=lz4", "tank")], plan.Items[1].Commands);
    }

    [Fact]
    public void Datasets_of_a_new_pool_whose_creation_is_blocked_wait_for_it()
    {
        // Found by the re-plan property test: with the pool's creation blocked (here: its probe failed), the
        // pool root and its datasets showed as low-risk CREATEs that apply could never carry out.
        var desired = Desired([Pool()], [new("tank", Compression: "lz4"), new("tank/media")]);
        var plan = PlanBuilder.Build(desired, Live(failures: [ProbeFailure.ZpoolStatus(null, "hung")]));
        Assert.Equal(PlanAction.Blocked, Only(plan, "pool:tank").Action);
        foreach (var id in new[] { "dataset:tank", "dataset:tank/media" })
        {
            var item = Only(plan, id);
            Assert.Equal(PlanAction.Blocked, item.Action);
            Assert.StartsWith("waits for pool 'tank', whose creation is blocked (cannot verify: ", item.Reason);
            Assert.Empty(item.Commands);
            Assert.Equal(PlanRisk.High, item.Risk);
        }

        // Disks taken by another live pool block the creation too; a live pool's datasets are unaffected.
        var taken = PlanBuilder.Build(Desired([Pool("new"), Pool("tank")], [new("new/a"), new("tank/b")]),
            Live([LivePool("tank"), LivePool("old", disks: [D1])], [LiveDs("tank", GiB)]));
        Assert.Equal(PlanAction.Blocked, Only(taken, "pool:new").Action);
        Assert.Contains("disks already belong to another pool", Only(taken, "dataset:new/a").Reason);
        Assert.Equal(PlanAction.Create, Only(taken, "dataset:tank/b").Action);
    }

    [Fact]
    public void Undeclared_datasets_are_unmanaged_without_prune()
    {
        var plan = PlanBuilder.Build(Desired([Pool()]), LiveTank(LiveDs("tank/docker", 5 * GiB)));
        Assert.Equal(["pool:tank"], plan.Items.Select(i => i.Id));
        var u = Assert.Single(plan.Unmanaged);
        Assert.Equal((ResourceKind.Dataset, "tank/docker"), (u.Kind, u.Name));
        Assert.Contains("prune: true", u.Reason);
    }

    [Fact]
    public void Undeclared_pool_is_unmanaged_and_so_are_its_datasets()
    {
        var plan = PlanBuilder.Build(Desired(), Live([LivePool("boot")], [LiveDs("boot"), LiveDs("boot/root")]));
        Assert.Empty(plan.Items);
        Assert.Equal(["boot", "boot/root"], plan.Unmanaged.Select(u => u.Name));
    }

    [Fact]
    public void Pool_root_and_capacity_reserve_are_never_deletion_candidates()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)]),
            LiveTank(LiveDs("tank/dplane-reserved", 0), LiveDs("tank/dplane-reserved/x", 0)));
        Assert.Equal(["pool:tank"], plan.Items.Select(i => i.Id));
        Assert.All(plan.Unmanaged, u => Assert.Equal("capacity reserve; never pruned", u.Reason));
        Assert.Equal(2, plan.Unmanaged.Count);
    }

    [Fact]
    public void Parent_of_a_declared_dataset_is_kept_even_with_prune()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)], [new("tank/a/b")]), LiveTank(LiveDs("tank/a", 0), LiveDs("tank/a/b", 0)));
        Assert.DoesNotContain(plan.Items, i => i.Action == PlanAction.Delete);
        Assert.Equal("parent of a declared dataset; kept", Assert.Single(plan.Unmanaged).Reason);
    }

    [Fact]
    public void Deletes_run_children_before_parents()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)]),
            LiveTank(LiveDs("tank/a", 0), LiveDs("tank/a/b", 0), LiveDs("tank/a/b/c", 0), LiveDs("tank/z", 0)));
        Assert.Equal(["dataset:tank/a/b/c", "dataset:tank/a/b", "dataset:tank/a", "dataset:tank/z"],
            plan.Items.Where(i => i.Action == PlanAction.Delete).Select(i => i.Id));
    }

    [Fact]
    public void Unknown_used_bytes_block_a_deletion()
    {
        var item = Only(PlanBuilder.Build(Desired([Pool(prune: true)]), LiveTank(LiveDs("tank/x", null))), "dataset:tank/x");
        Assert.Equal((PlanAction.Blocked, false), (item.Action, item.RequiresApproval));
        Assert.StartsWith("cannot verify", item.Reason);
        Assert.Empty(item.Commands);
    }

    [Fact]
    public void Pool_create_command_carries_ashift_properties_and_layout()
    {
        var pool = Pool(type: VdevType.Raidz2, disks: [D1, D2, D3], ashift: 12, properties: new() { ["autotrim"] = "on", ["autoexpand"] = "on" });
        var item = Assert.Single(PlanBuilder.Build(Desired([pool]), Live()).Items);
        Assert.Equal(PlanAction.Create, item.Action);
        Assert.Equal([Cmd("zpool", "create", "-o", "ashift=12", "-o", "autoexpand=on", "-o", "autotrim=on", "--", "tank", "raidz2", D1, D2, D3)], item.Commands);
        var stripe = Assert.Single(PlanBuilder.Build(Desired([Pool(type: VdevType.Stripe, disks: [D1])]), Live()).Items);
        Assert.Equal([Cmd("zpool", "create", "--", "tank", D1)], stripe.Commands);
    }

    [Fact]
    public void Pool_create_on_a_disk_of_another_pool_is_blocked()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired([Pool("new", disks: [D1, D3])]), Live([LivePool("tank", disks: [D1 + "-part1", D2])])).Items,
            i => i.Kind == ResourceKind.Pool);
        Assert.Equal((PlanAction.Blocked, PlanRisk.Critical), (item.Action, item.Risk));
        Assert.Contains($"{D1} (in pool 'tank')", item.Reason);
        Assert.Empty(item.Commands);
    }

    [Fact]
    public void Live_partition_paths_match_whole_disk_names()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired([Pool()]), Live([LivePool(disks: [D1 + "-part1", D2 + "-part1"])])).Items);
        Assert.Equal(PlanAction.Nop, item.Action);
    }

    [Fact]
    public void Adding_a_disk_is_blocked_for_review()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired([Pool(disks: [D1, D2, D3])]), Live([LivePool()])).Items);
        Assert.Equal((PlanAction.Blocked, PlanRisk.High), (item.Action, item.Risk));
        Assert.Contains($"topology change requires review (add {D3})", item.Reason);
        Assert.Empty(item.Commands);
    }

    [Fact]
    public void Removing_a_disk_is_blocked_and_critical_even_with_an_add()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired([Pool(disks: [D1, D3])]), Live([LivePool()])).Items);
        Assert.Equal((PlanAction.Blocked, PlanRisk.Critical), (item.Action, item.Risk));
        Assert.Contains($"add {D3}; remove {D2}", item.Reason);
    }

    [Theory]
    [InlineData(VdevType.Raidz1, 12, "vdev_type mirror → raidz1 requires recreating the pool")]
    [InlineData(VdevType.Mirror, 9, "ashift 12 → 9 requires recreating the pool")]
    public void Pool_shape_changes_require_recreate(VdevType type, int ashift, string reason)
    {
        var item = Assert.Single(PlanBuilder.Build(Desired([Pool(type: type, ashift: ashift)]), Live([LivePool()])).Items);
        Assert.Equal((PlanAction.Blocked, PlanRisk.Critical, reason), (item.Action, item.Risk, item.Reason));
    }

    [Fact]
    public void Pool_property_difference_is_a_modify()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired([Pool(properties: new() { ["autotrim"] = "on" })]),
            Live([LivePool(properties: new() { ["autotrim"] = "off" })])).Items);
        Assert.Equal(PlanAction.Modify, item.Action);
        Assert.Equal([Cmd("zpool", "set", "autotrim=on", "tank")], item.Commands);
    }

    [Fact]
    public void Share_create_modify_and_nop()
    {
        var plan = PlanBuilder.Build(
            Desired(shares: [Share("new"), Share("media", users: ["bob", "@users"]), Share("docs", readOnly: true, comment: "Docs")]),
            Live(shares: [SmbShare("media", users: ["@users", "bob"]), SmbShare("docs", comment: "Docs")]));
        Assert.Equal([PlanAction.Create, PlanAction.Nop, PlanAction.Modify], plan.Items.Select(i => i.Action));
        Assert.Equal(new PropertyChange("read_only", "no", "yes"), Assert.Single(plan.Items[2].Changes));
        Assert.All(plan.Items, i => Assert.Empty(i.Commands));
    }

    [Fact]
    public void Share_names_match_ignoring_case_and_the_case_is_corrected()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired(shares: [Share("Media")]), Live(shares: [SmbShare("media")])).Items);
        Assert.Equal(PlanAction.Modify, item.Action);
        Assert.Equal(new PropertyChange("name", "media", "Media"), Assert.Single(item.Changes));
    }

    [Fact]
    public void Undeclared_share_is_unmanaged_without_prune_shares()
    {
        var plan = PlanBuilder.Build(Desired(), Live(shares: [SmbShare("old")]));
        Assert.Empty(plan.Items);
        Assert.Equal("old", Assert.Single(plan.Unmanaged).Name);
    }

    [Fact]
    public void Undeclared_idle_share_is_deleted_with_prune_shares()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired(pruneShares: true), Live(shares: [SmbShare("old")])).Items);
        Assert.Equal((PlanAction.Delete, PlanRisk.Low), (item.Action, item.Risk));
    }

    [Fact]
    public void Share_with_active_connections_is_blocked_matching_case_insensitively()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired(pruneShares: true), Live(shares: [SmbShare("Old")], active: ["OLD"])).Items);
        Assert.Equal((PlanAction.Blocked, PlanRisk.High, false), (item.Action, item.Risk, item.RequiresApproval));
        Assert.Contains("active SMB connections", item.Reason);
    }

    [Fact]
    public void Failed_smbstatus_blocks_share_removal_but_not_creation()
    {
        var plan = PlanBuilder.Build(Desired(shares: [Share("new")], pruneShares: true),
            Live(shares: [SmbShare("old")], failures: [ProbeFailure.SmbStatus("timed out after 10s")]));
        Assert.Equal(PlanAction.Create, Only(plan, "share:new").Action);
        var old = Only(plan, "share:old");
        Assert.Equal(PlanAction.Blocked, old.Action);
        Assert.StartsWith("cannot verify: smbstatus failed: timed out after 10s", old.Reason);
    }

    [Fact]
    public void Failed_zfs_get_blocks_every_dataset_item_in_its_scope_and_never_deletes()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)], [new("tank/a", Compression: "lz4"), new("tank/new")]),
            Live([LivePool(), LivePool("other", disks: [D3])],
                [LiveDs("tank"), LiveDs("tank/a", 1, ("compression", "lz4")), LiveDs("tank/gone", 0), LiveDs("other/x", 0)],
                failures: [ProbeFailure.ZfsGet("tank", "exit 1")]));
        Assert.All(plan.Items.Where(i => i.Kind == ResourceKind.Dataset), i =>
        {
            Assert.Equal(PlanAction.Blocked, i.Action);
            Assert.StartsWith("cannot verify: zfs get failed for tank", i.Reason);
            Assert.Empty(i.Commands);
        });
        Assert.Equal(3, plan.Items.Count(i => i.Kind == ResourceKind.Dataset));
    }

    [Fact]
    public void Failed_zpool_status_blocks_the_pool()
    {
        var item = Assert.Single(PlanBuilder.Build(Desired([Pool()]), Live([LivePool(disks: [])], failures: [ProbeFailure.ZpoolStatus("tank", "hung")])).Items);
        Assert.Equal(PlanAction.Blocked, item.Action);
        Assert.DoesNotContain("topology", item.Reason.Split("(planned")[0]);
    }

    [Fact]
    public void Failed_probe_turns_an_approvable_block_into_a_cannot_verify_block()
    {
        var item = Only(PlanBuilder.Build(Desired([Pool(prune: true)]), LiveTank(LiveDs("tank/old", GiB)) with { ProbeFailures = [ProbeFailure.ZfsGet(null, "x")] }), "dataset:tank/old");
        Assert.Equal((PlanAction.Blocked, false), (item.Action, item.RequiresApproval));
        Assert.Empty(item.Commands);
    }

    [Fact]
    public void Items_are_ordered_pools_then_datasets_then_shares()
    {
        var plan = PlanBuilder.Build(Desired([Pool("tank"), Pool("b", disks: [D3], type: VdevType.Stripe)], [new("tank/x"), new("b/y")], [Share("s")], prunePools: true),
            Live([LivePool("zz", disks: ["/dev/disk/by-id/other"])]));
        Assert.Equal(["pool:tank", "pool:b", "pool:zz", "dataset:tank/x", "dataset:b/y", "share:s"], plan.Items.Select(i => i.Id));
    }

    [Fact]
    public void Summary_counts_each_action()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)], [new("tank/new"), new("tank/a", Atime: true), new("tank/b")]),
            LiveTank(LiveDs("tank/a", 1, ("atime", "off")), LiveDs("tank/b"), LiveDs("tank/old", GiB), LiveDs("tank/empty", 0)));
        Assert.Equal(new PlanSummary(1, 1, 1, 1, 2), plan.Summary);
        Assert.True(plan.Summary.Drifted);
    }

    [Fact]
    public void Plan_id_is_stable_under_live_reordering_and_changes_with_the_inputs()
    {
        var desired = Desired([Pool()], [new("tank/a", QuotaBytes: GiB)]);
        var live1 = Live([LivePool(), LivePool("b", disks: [D3])], [LiveDs("tank"), LiveDs("tank/a", 5, ("quota", "0"), ("atime", "on"))], active: ["x", "y"]);
        var live2 = Live([LivePool("b", disks: [D3]), LivePool()], [LiveDs("tank/a", 5, ("atime", "on"), ("quota", "0")), LiveDs("tank")], active: ["y", "x"]);
        var id = Plan.ComputeId(desired, live1);
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.Equal(id, Plan.ComputeId(desired, live2));
        Assert.Equal(id, PlanBuilder.Build(desired, live1).Id);
        Assert.NotEqual(id, Plan.ComputeId(desired with { PruneShares = true }, live1));
        Assert.NotEqual(id, Plan.ComputeId(desired, live1 with { Datasets = [LiveDs("tank"), LiveDs("tank/a", 6)] }));
    }

    /// <summary>Found by the convergence property: an empty parent of a child that stays cannot be destroyed.</summary>
    [Fact]
    public void Empty_parent_of_a_child_that_stays_is_blocked()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)]), LiveTank(LiveDs("tank/a", 0), LiveDs("tank/a/b", null)));
        Assert.Equal([PlanAction.Blocked, PlanAction.Blocked], plan.Items.Where(i => i.Kind == ResourceKind.Dataset).Select(i => i.Action));
        Assert.Equal("'tank/a' cannot be destroyed while child datasets stay (tank/a/b); resolve those first", Only(plan, "dataset:tank/a").Reason);
    }

    [Fact]
    public void Non_empty_parent_of_non_empty_child_stays_approvable()
    {
        var plan = PlanBuilder.Build(Desired([Pool(prune: true)]), LiveTank(LiveDs("tank/a", 2 * GiB), LiveDs("tank/a/b", GiB)));
        Assert.All(plan.Items.Where(i => i.Kind == ResourceKind.Dataset), i => Assert.True(i.RequiresApproval));
    }
}
