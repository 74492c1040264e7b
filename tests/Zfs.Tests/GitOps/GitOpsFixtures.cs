using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOps;

/// <summary>Terse builders for desired and live states in diff tests.</summary>
internal static class GitOpsFixtures
{
    public const long GiB = 1024L * 1024 * 1024;
    public const string D1 = "/dev/disk/by-id/ata-DISK1";
    public const string D2 = "/dev/disk/by-id/ata-DISK2";
    public const string D3 = "/dev/disk/by-id/ata-DISK3";

    public static DesiredState Desired(
        IReadOnlyList<DesiredPool>? pools = null,
        IReadOnlyList<DesiredDataset>? datasets = null,
        IReadOnlyList<SmbShare>? shares = null,
        bool prunePools = false,
        bool pruneShares = false) =>
        new(1, pools ?? [], datasets ?? [], shares ?? [], prunePools, pruneShares);

    public static DesiredPool Pool(string name = "tank", VdevType type = VdevType.Mirror, string[]? disks = null, int? ashift = null,
        Dictionary<string, string>? properties = null, bool prune = false) =>
        new(name, type, disks ?? [D1, D2], ashift, properties ?? [], prune);

    public static LivePool LivePool(string name = "tank", VdevType? type = VdevType.Mirror, string[]? disks = null, int? ashift = 12,
        Dictionary<string, string>? properties = null) =>
        new(name, type, disks ?? [D1, D2], ashift, properties ?? []);

    public static LiveDataset LiveDs(string name, long? used = 100 * 1024, params (string Key, string Value)[] properties) =>
        new(name, used, properties.ToDictionary(p => p.Key, p => p.Value));

    public static SmbShare Share(string name = "media", string path = "/mnt/tank/media", bool readOnly = false, string[]? users = null,
        string comment = "", bool guestOk = false) =>
        new(name, path, readOnly, users ?? [], comment, guestOk);

    public static SmbShare SmbShare(string name = "media", string path = "/mnt/tank/media", bool readOnly = false, string[]? users = null,
        string comment = "", bool guestOk = false) =>
        new(name, path, readOnly, users ?? [], comment, guestOk);

    public static LiveState Live(
        IReadOnlyList<LivePool>? pools = null,
        IReadOnlyList<LiveDataset>? datasets = null,
        IReadOnlyList<SmbShare>? shares = null,
        IEnumerable<string>? active = null,
        IReadOnlyList<ProbeFailure>? failures = null) =>
        new(pools ?? [], datasets ?? [], shares ?? [], (active ?? []).ToHashSet(), failures ?? []);

    /// <summary>A live pool with its root dataset, as the adapter reports it.</summary>
    public static LiveState LiveTank(params LiveDataset[] datasets) =>
        Live([LivePool()], [LiveDs("tank", 10 * GiB), .. datasets]);

    public static PlanItem Only(Plan plan, string id) => Assert.Single(plan.Items, i => i.Id == id);

    public static IReadOnlyList<string> Cmd(params string[] args) => args;
}
