using CsCheck;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOps;

/// <summary>Random desired/live pairs over a small universe of names, so they overlap often.</summary>
internal static class GitOpsGenerators
{
    private static readonly string[] Disks = Enumerable.Range(1, 6).Select(i => $"/dev/disk/by-id/ata-D{i}").ToArray();
    private static readonly string[] DatasetNames = ["tank", "tank/a", "tank/a/b", "tank/c", "tank/dplane-reserved", "backup/x", "backup/x/y"];
    private static readonly string[] ShareNames = ["media", "Media", "docs", "old"];

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : class => Gen.Frequency((1, Gen.Bool.Select(_ => (T?)null)), (2, gen.Select(v => (T?)v)));

    private static Gen<T?> MaybeValue<T>(Gen<T> gen) where T : struct => Gen.Frequency((1, Gen.Bool.Select(_ => (T?)null)), (2, gen.Select(v => (T?)v)));

    private static Gen<string[]> Subset(string[] items) =>
        Gen.Bool.Array[items.Length].Select(mask => items.Where((_, i) => mask[i]).ToArray());

    private static readonly Gen<VdevType> Vdev = Gen.OneOf(VdevType.Stripe, VdevType.Mirror, VdevType.Raidz1);

    private static readonly Gen<Dictionary<string, string>> PoolProps =
        Gen.OneOf("on", "off").Array[2].Select(v => new Dictionary<string, string> { ["autotrim"] = v[0], ["autoexpand"] = v[1] })
            .Select(d => d.Count > 0 && d["autoexpand"] == "off" ? new Dictionary<string, string> { ["autotrim"] = d["autotrim"] } : d);

    private static Gen<DesiredPool> DesiredPoolGen(string name, string[] disks) =>
        Gen.Select(Vdev, MaybeValue(Gen.OneOf(9, 12)), PoolProps, Gen.Bool, Gen.Int[0, 1])
            .Select((type, ashift, props, prune, shift) =>
                new DesiredPool(name, type, disks.Skip(shift).Take(2).ToArray(), ashift, props, prune));

    private static Gen<LivePool> LivePoolGen(string name, string[] disks) =>
        Gen.Select(Vdev, Gen.OneOf(9, 12), PoolProps, Gen.Bool)
            .Select((type, ashift, props, partitions) =>
                new LivePool(name, type, disks.Take(2).Select(d => partitions ? d + "-part1" : d).ToArray(), ashift, props));

    private static readonly Gen<DesiredDataset> DatasetProps =
        Gen.Select(
            MaybeValue(Gen.OneOf(0L, 1024L, 10L * 1024 * 1024 * 1024)),
            Maybe(Gen.OneOf("on", "off", "lz4", "gzip", "gzip-9", "zstd", "zstd-3")),
            MaybeValue(Gen.Bool),
            Maybe(Gen.OneOf("/mnt/a", "/srv/b", "none")),
            MaybeValue(Gen.OneOf(131072L, 1048576L)),
            Maybe(Gen.OneOf("off", "on", "aes-256-gcm")),
            Maybe(Gen.OneOf("sensitive", "insensitive")))
        .Select((quota, compression, atime, mountpoint, recordsize, encryption, cs) =>
            new DesiredDataset("", quota, compression, atime, mountpoint, recordsize, encryption,
                encryption is null or "off" ? null : "raw", encryption is null or "off" ? null : "file:///k", cs));

    private static readonly Gen<Dictionary<string, string>> LiveProps =
        Gen.Select(
            Gen.OneOf("none", "0", "1024", "10737418240"),
            Gen.OneOf("on", "off", "lz4", "gzip-6", "zstd"),
            Gen.OneOf("on", "off"),
            Gen.OneOf("/mnt/a", "/srv/b", "none"),
            Gen.OneOf("131072", "1048576"),
            Gen.OneOf("off", "aes-256-gcm"),
            Gen.OneOf("sensitive", "insensitive"))
        .Select((q, c, a, m, r, e, cs) => new Dictionary<string, string>
        {
            ["quota"] = q, ["compression"] = c, ["atime"] = a, ["mountpoint"] = m, ["recordsize"] = r, ["encryption"] = e, ["casesensitivity"] = cs,
        });

    private static readonly Gen<long?> Used = Gen.Frequency((1, Gen.Bool.Select(_ => (long?)null)), (3, Gen.Bool.Select(_ => (long?)0)), (3, Gen.Long[1, 1L << 40].Select(v => (long?)v)));

    private static readonly Gen<SmbShare> DesiredShareGen =
        Gen.Select(Gen.OneOf("/mnt/a", "/srv/b"), Gen.Bool, Subset(["alice", "@users"]), Gen.OneOf("", "Media"), Gen.Bool)
            .Select((path, ro, users, comment, guest) => new SmbShare("", path, ro, users, comment, guest));

    private static readonly Gen<SmbShare> LiveShareGen =
        Gen.Select(Gen.OneOf("/mnt/a", "/srv/b"), Gen.Bool, Subset(["@users", "alice"]), Gen.OneOf("", "Media"), Gen.Bool)
            .Select((path, ro, users, comment, guest) => new SmbShare("", path, ro, users, comment, guest));

    /// <summary>
    /// A (desired, live) pair. <paramref name="withFailures"/> adds random probe failures.
    /// </summary>
    public static Gen<(DesiredState Desired, LiveState Live)> Pair(bool withFailures) =>
        from desiredPoolNames in Subset(["tank", "backup"])
        from livePoolNames in Subset(["tank", "backup", "boot"])
        from desiredPools in Gen.Select(DesiredPoolGen("tank", Disks[..3]), DesiredPoolGen("backup", Disks[3..]))
        from livePools in Gen.Select(LivePoolGen("tank", Disks[..3]), LivePoolGen("backup", Disks[3..]), LivePoolGen("boot", ["/dev/disk/by-id/nvme-BOOT"]))
        from datasetNames in Subset(DatasetNames)
        from datasetProps in DatasetProps.Array[DatasetNames.Length]
        from liveNames in Subset(DatasetNames)
        from liveProps in LiveProps.Array[DatasetNames.Length]
        from used in Used.Array[DatasetNames.Length]
        from shareNames in Subset(ShareNames)
        from shareProps in DesiredShareGen.Array[ShareNames.Length]
        from liveShareNames in Subset(ShareNames)
        from liveShareProps in LiveShareGen.Array[ShareNames.Length]
        from active in Subset(["media", "OLD", "docs"])
        from prunePools in Gen.Bool
        from pruneShares in Gen.Bool
        from failures in withFailures ? Subset(["smb", "zfs", "zpool"]) : Gen.Const(Array.Empty<string>())
        select Make(desiredPoolNames, livePoolNames, desiredPools, livePools, datasetNames, datasetProps, liveNames, liveProps, used,
            shareNames, shareProps, liveShareNames, liveShareProps, active, prunePools, pruneShares, failures);

    private static (DesiredState, LiveState) Make(
        string[] desiredPoolNames, string[] livePoolNames, (DesiredPool Tank, DesiredPool Backup) dp, (LivePool Tank, LivePool Backup, LivePool Boot) lp,
        string[] datasetNames, DesiredDataset[] datasetProps, string[] liveNames, Dictionary<string, string>[] liveProps, long?[] used,
        string[] shareNames, SmbShare[] shareProps, string[] liveShareNames, SmbShare[] liveShareProps, string[] active,
        bool prunePools, bool pruneShares, string[] failures)
    {
        var pools = new[] { dp.Tank, dp.Backup }.Where(p => desiredPoolNames.Contains(p.Name)).ToList();
        var livePools = new[] { lp.Tank, lp.Backup, lp.Boot }.Where(p => livePoolNames.Contains(p.Name)).ToList();
        var knownPools = pools.Select(p => p.Name).Concat(livePools.Select(p => p.Name)).ToHashSet();

        // Like the parser: a dataset must lie under a declared or existing pool; share names are unique ignoring case.
        var datasets = datasetNames.Where(n => knownPools.Contains(n.Split('/')[0]))
            .Select(n => datasetProps[Array.IndexOf(DatasetNames, n)] with { Name = n }).ToList();
        var liveDatasets = DatasetNames
            .Where(n => livePoolNames.Contains(n.Split('/')[0]) && (liveNames.Contains(n) || !n.Contains('/')))
            .Select(n => new LiveDataset(n, used[Array.IndexOf(DatasetNames, n)], liveProps[Array.IndexOf(DatasetNames, n)]))
            .ToList();
        var shares = shareNames.DistinctBy(n => n, StringComparer.OrdinalIgnoreCase)
            .Select(n => shareProps[Array.IndexOf(ShareNames, n)] with { Name = n }).ToList();
        var liveShares = liveShareNames.DistinctBy(n => n, StringComparer.OrdinalIgnoreCase)
            .Select(n => liveShareProps[Array.IndexOf(ShareNames, n)] with { Name = n }).ToList();

        var probeFailures = failures.Select(f => f switch
        {
            "smb" => ProbeFailure.SmbStatus("timeout"),
            "zfs" => ProbeFailure.ZfsGet("tank", "exit 1"),
            _ => ProbeFailure.ZpoolStatus(null, "hung"),
        }).ToList();

        return (new DesiredState(1, pools, datasets, shares, prunePools, pruneShares),
            new LiveState(livePools, liveDatasets, liveShares, active.ToHashSet(), probeFailures));
    }
}
