using System.Diagnostics;
using System.Globalization;
using System.Text;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;
using DPlaneOS.Zfs.Parsing;

// Plan time for N datasets (default 10,000; target < 1 s). The live side is generated as the text
// `zfs get -Hp -o name,property,value,source <props>` prints on zfs-fuse (shape of
// tests/Zfs.Tests/Fixtures/zfs-fuse/zfs-get-Hp-gitops-properties-all.txt) and goes through the
// daemon's own parser; the desired side is a generated state.yaml through StateFileParser.
// Mix: 90 % declared and in sync, 4 % declared with a changed quota (MODIFY), 3 % declared but
// missing (CREATE), 3 % on the host only in a pool with prune: true (DELETE when empty, BLOCKED with data).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
const int Runs = 15;
var target = TimeSpan.FromSeconds(1);

var (zfsGet, stateYaml) = Generate(count);
var zpoolStatus = "  pool: tank\n state: ONLINE\n scrub: none requested\nconfig:\n\n\tNAME                                  STATE     READ WRITE CKSUM\n" +
                  "\ttank                                  ONLINE       0     0     0\n\t  mirror-0                            ONLINE       0     0     0\n" +
                  "\t    disk/by-id/ata-DPLANE_LAB_tank_1  ONLINE       0     0     0\n\t    disk/by-id/ata-DPLANE_LAB_tank_2  ONLINE       0     0     0\n\nerrors: No known data errors\n";

LiveState ReadLive()
{
    var rows = ZfsGetParser.Parse(zfsGet);
    if (!rows.IsOk) throw new InvalidOperationException(rows.Error.ToString());
    var datasets = LiveDatasets.From(ZfsDatasetProperties.Group(rows.Value), ZfsDialect.ZfsFuse);
    var pools = LivePools.From(ZpoolStatusParser.Parse(zpoolStatus).Value, []);
    return new LiveState(pools, datasets, [], new HashSet<string>(), []);
}

DesiredState ReadDesired(LiveState live)
{
    var parsed = StateFileParser.Parse(stateYaml, live.Pools.Select(p => p.Name).ToHashSet());
    return parsed.IsValid ? parsed.State : throw new InvalidOperationException(parsed.ToString());
}

var liveState = ReadLive();
var desiredState = ReadDesired(liveState);
var plan = PlanBuilder.Build(desiredState, liveState);
Console.WriteLine($"datasets live {liveState.Datasets.Count}, declared {desiredState.Datasets.Count}; plan: {plan.Summary}");
Console.WriteLine($"zfs get text {zfsGet.Length / 1024} KiB, state.yaml {stateYaml.Length / 1024} KiB");

var planTime = Measure("PlanBuilder.Build", () => PlanBuilder.Build(desiredState, liveState));
Measure("  of which Plan.ComputeId (input hash)", () => Plan.ComputeId(desiredState, liveState));
Measure("PlanComparison.WorkId", () => PlanComparison.WorkId(plan));
Measure("parse zfs get -> LiveState", ReadLive);
Measure("StateFileParser.Parse", () => ReadDesired(liveState));
var total = Measure("state.yaml + zfs get text -> plan", () => { var l = ReadLive(); return PlanBuilder.Build(ReadDesired(l), l); });

Console.WriteLine();
Console.WriteLine($"plan time for {count:N0} datasets: median {Ms(planTime)} (target < {Ms(target)}): {(planTime < target ? "PASS" : "FAIL")}");
Console.WriteLine($"including parsing both inputs: median {Ms(total)}");
return planTime < target ? 0 : 1;

static TimeSpan Measure<T>(string what, Func<T> run)
{
    for (var i = 0; i < 3; i++) GC.KeepAlive(run());
    var times = new List<TimeSpan>();
    for (var i = 0; i < Runs; i++)
    {
        GC.Collect();
        var stopwatch = Stopwatch.StartNew();
        GC.KeepAlive(run());
        times.Add(stopwatch.Elapsed);
    }

    times.Sort();
    var median = times[times.Count / 2];
    Console.WriteLine($"{what,-36} min {Ms(times[0]),10}  median {Ms(median),10}  max {Ms(times[^1]),10}  ({Runs} runs)");
    return median;
}

static string Ms(TimeSpan t) => $"{t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";

static (string ZfsGet, string StateYaml) Generate(int count)
{
    var zfs = new StringBuilder();
    var yaml = new StringBuilder("version: 1\npools:\n  - name: tank\n    vdev_type: mirror\n    disks:\n" +
                                 "      - /dev/disk/by-id/ata-DPLANE_LAB_tank_1\n      - /dev/disk/by-id/ata-DPLANE_LAB_tank_2\n    prune: true\ndatasets:\n");
    void Row(string name, string property, string value, string source) =>
        zfs.Append(name).Append('\t').Append(property).Append('\t').Append(value).Append('\t').Append(source).Append('\n');
    void Live(string name, long used, long quota, string compression)
    {
        Row(name, "type", "filesystem", "-");
        Row(name, "used", used.ToString(CultureInfo.InvariantCulture), "-");
        Row(name, "quota", quota.ToString(CultureInfo.InvariantCulture), quota == 0 ? "default" : "local");
        Row(name, "compression", compression, compression == "off" ? "default" : "local");
        Row(name, "atime", "on", "default");
        Row(name, "mountpoint", "/tank/" + name, "inherited from tank");
        Row(name, "recordsize", "131072", "default");
        Row(name, "casesensitivity", "sensitive", "-");
    }

    Live("tank", 10L << 30, 0, "off");
    var groups = Math.Max(1, count / 100);
    for (var g = 0; g < groups; g++)
    {
        Live($"tank/g{g}", 114688, 0, "off");
        yaml.Append($"  - name: tank/g{g}\n");
    }

    for (var i = 0; i < count; i++)
    {
        var name = $"tank/g{i % groups}/d{i}";
        var quota = (long)(1 + i % 50) << 30;
        switch (i % 100)
        {
            case < 90: // declared, in sync
                Live(name, 114688 + i, quota, "gzip");
                yaml.Append($"  - name: {name}\n    quota: {quota}\n    compression: gzip\n");
                break;
            case < 94: // declared, quota changed
                Live(name, 114688 + i, quota, "gzip");
                yaml.Append($"  - name: {name}\n    quota: {quota * 2}\n    compression: gzip\n");
                break;
            case < 97: // declared, missing
                yaml.Append($"  - name: {name}\n    quota: {quota}\n    atime: off\n");
                break;
            default: // on the host only: prune candidates, half of them empty
                Live(name, i % 2 == 0 ? 0 : 5L << 20, 0, "off");
                break;
        }
    }

    return (zfs.ToString(), yaml.ToString());
}
