using System.Globalization;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>
/// Dataset items. Only properties set in state.yaml are managed. Mountpoints compare by value, so a
/// dataset whose inherited mountpoint already equals the declared one is in sync (no local override
/// is forced). Pool roots and <c>&lt;pool&gt;/dplane-reserved</c> are never deletion candidates.
/// </summary>
internal static class DatasetPlanner
{
    public const string ReservedName = "dplane-reserved";

    private sealed record Setting(string Property, string Value, Func<string?, bool> Matches, bool CreateOnly);

    public static IEnumerable<PlanItem> Plan(DesiredState desired, LiveState live, List<UnmanagedResource> unmanaged)
    {
        var liveByName = live.Datasets.GroupBy(d => d.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var creates = desired.Datasets
            .Where(d => !liveByName.ContainsKey(d.Name))
            .Select((d, index) => (Dataset: d, Index: index))
            .OrderBy(x => Depth(x.Dataset.Name)).ThenBy(x => x.Index)
            .Select(x => Create(x.Dataset));
        foreach (var item in creates) yield return item;

        foreach (var ds in desired.Datasets)
        {
            if (liveByName.TryGetValue(ds.Name, out var liveDs)) yield return Compare(ds, liveDs);
        }

        foreach (var item in Prune(desired, live, unmanaged)) yield return item;
    }

    private static IEnumerable<PlanItem> Prune(DesiredState desired, LiveState live, List<UnmanagedResource> unmanaged)
    {
        var declared = desired.Datasets.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var pruningPools = desired.Pools.Where(p => p.Prune).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var declaredPools = desired.Pools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var ancestors = desired.Datasets.SelectMany(d => Ancestors(d.Name)).ToHashSet(StringComparer.Ordinal);

        var candidates = new List<LiveDataset>();
        foreach (var ds in live.Datasets.Where(d => !declared.Contains(d.Name)).DistinctBy(d => d.Name))
        {
            var pool = PoolOf(ds.Name);
            if (pool == ds.Name) continue; // the pool root is the pool itself, planned (and never destroyed) as a pool
            string? reason = null;
            if (ds.Name == $"{pool}/{ReservedName}" || ds.Name.StartsWith($"{pool}/{ReservedName}/", StringComparison.Ordinal))
                reason = "capacity reserve; never pruned";
            else if (ancestors.Contains(ds.Name))
                reason = "parent of a declared dataset; kept";
            else if (!declaredPools.Contains(pool))
                reason = $"pool '{pool}' is not declared in state.yaml";
            else if (!pruningPools.Contains(pool))
                reason = $"not in state.yaml and pool '{pool}' does not set prune: true";

            if (reason is null) candidates.Add(ds);
            else unmanaged.Add(new UnmanagedResource(ResourceKind.Dataset, ds.Name, reason));
        }

        // Children before parents: zfs destroy (without -r) refuses a dataset that still has children.
        return candidates
            .OrderByDescending(d => Depth(d.Name)).ThenBy(d => d.Name, StringComparer.Ordinal)
            .Select(Delete);
    }

    private static PlanItem Delete(LiveDataset ds)
    {
        IReadOnlyList<string> destroy = ["zfs", "destroy", "--", ds.Name];
        return ds.UsedBytes switch
        {
            null => PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Dataset, ds.Name, PlanRisk.High,
                $"cannot verify: used bytes of '{ds.Name}' are unknown, so it is not deleted", [], []),
            > 0 and var used => PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Dataset, ds.Name, PlanRisk.Critical,
                $"dataset '{ds.Name}' is not in state.yaml but holds {HumanBytes.Format(used)}; destroying it loses that data. " +
                "To remove it: 1) verify nothing needs it, 2) optionally snapshot or back it up, 3) approve this item, 4) apply " +
                "(apply re-checks that nothing changed).",
                [destroy], [new PropertyChange("used", ZfsValues.Bytes(used), null)], requiresApproval: true),
            _ => PlanBuilder.Item(PlanAction.Delete, ResourceKind.Dataset, ds.Name, PlanRisk.Medium,
                $"dataset '{ds.Name}' is not in state.yaml, its pool sets prune: true, and it is empty", [destroy], []),
        };
    }

    private static PlanItem Create(DesiredDataset ds)
    {
        var settings = Settings(ds);
        var changes = settings.Select(s => new PropertyChange(s.Property, null, s.Value)).ToList();

        if (!ds.Name.Contains('/'))
        {
            // A pool root appears with 'zpool create'; afterwards only settable properties can change.
            var createOnly = settings.Where(s => s.CreateOnly && !IsRootDefault(s)).Select(s => s.Property).ToList();
            if (createOnly.Count > 0)
                return PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Dataset, ds.Name, PlanRisk.High,
                    $"{string.Join(", ", createOnly)} of a pool root can only be chosen at zpool create time; requires recreate", [], changes);
            var sets = settings.Where(s => !s.CreateOnly).Select(s => Set(s, ds.Name)).ToList();
            return PlanBuilder.Item(PlanAction.Create, ResourceKind.Dataset, ds.Name, PlanRisk.Low,
                $"pool root '{ds.Name}' comes with its pool; its properties are set afterwards", sets, changes);
        }

        var command = new List<string> { "zfs", "create", "-p" };
        foreach (var s in settings) command.AddRange(["-o", $"{s.Property}={s.Value}"]);
        if (ds.KeyFormat is { } format) command.AddRange(["-o", $"keyformat={format}"]);
        if (ds.KeyLocation is { } location) command.AddRange(["-o", $"keylocation={location}"]);
        command.AddRange(["--", ds.Name]);
        return PlanBuilder.Item(PlanAction.Create, ResourceKind.Dataset, ds.Name, PlanRisk.Low,
            $"dataset '{ds.Name}' does not exist", [command], changes);
    }

    private static PlanItem Compare(DesiredDataset ds, LiveDataset live)
    {
        var changes = new List<PropertyChange>();
        var commands = new List<IReadOnlyList<string>>();
        var blockers = new List<string>();
        foreach (var s in Settings(ds))
        {
            var liveValue = live.Property(s.Property);
            if (s.Matches(liveValue)) continue;
            changes.Add(new PropertyChange(s.Property, liveValue, s.Value));
            if (s.CreateOnly) blockers.Add($"{s.Property} {liveValue ?? "(unknown)"} → {s.Value} cannot change after creation; requires recreate");
            else commands.Add(Set(s, ds.Name));
        }

        if (blockers.Count > 0)
            return PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Dataset, ds.Name, PlanRisk.High, string.Join("; ", blockers), [], changes);
        if (changes.Count == 0)
            return PlanBuilder.Item(PlanAction.Nop, ResourceKind.Dataset, ds.Name, PlanRisk.Low, "in sync", [], []);
        // A new mountpoint unmounts and remounts: open files and shares on it notice.
        var risk = changes.Any(c => c.Property == "mountpoint") ? PlanRisk.Medium : PlanRisk.Low;
        return PlanBuilder.Item(PlanAction.Modify, ResourceKind.Dataset, ds.Name, risk,
            $"{changes.Count} propert{(changes.Count == 1 ? "y differs" : "ies differ")}", commands, changes);
    }

    // No '--' here: zfs-fuse's zfs set has no option parser and would take it for a dataset (names are validated instead).
    private static IReadOnlyList<string> Set(Setting s, string name) => ["zfs", "set", $"{s.Property}={s.Value}", name];

    /// <summary>Managed properties in a fixed order; each knows how to recognise an equal live value.</summary>
    private static List<Setting> Settings(DesiredDataset ds)
    {
        var list = new List<Setting>();
        if (ds.QuotaBytes is { } quota)
            list.Add(new Setting("quota", quota == 0 ? "none" : ZfsValues.Bytes(quota), v => ZfsValues.LiveQuota(v) == quota, false));
        if (ds.Compression is { } compression)
        {
            var canonical = ZfsValues.CanonicalCompression(compression);
            list.Add(new Setting("compression", compression, v => v is not null && ZfsValues.CanonicalCompression(v) == canonical, false));
        }

        if (ds.Atime is { } atime) list.Add(new Setting("atime", ZfsValues.OnOff(atime), v => ZfsValues.LiveOnOff(v) == atime, false));
        if (ds.Mountpoint is { } mountpoint) list.Add(new Setting("mountpoint", mountpoint, v => v == mountpoint, false));
        if (ds.RecordsizeBytes is { } recordsize)
            list.Add(new Setting("recordsize", ZfsValues.Bytes(recordsize), v => v is not null && ZfsValues.TryParseRecordsize(v, out var b) && b == recordsize, false));
        if (ds.Encryption is { } encryption)
        {
            var canonical = ZfsValues.CanonicalEncryption(encryption);
            list.Add(new Setting("encryption", encryption, v => v is not null && ZfsValues.CanonicalEncryption(v) == canonical, true));
        }

        if (ds.CaseSensitivity is { } cs) list.Add(new Setting("casesensitivity", cs, v => v == cs, true));
        return list;
    }

    private static bool IsRootDefault(Setting s) => s.Property switch
    {
        "encryption" => s.Value == "off",
        "casesensitivity" => s.Value == "sensitive",
        _ => true,
    };

    internal static string PoolOf(string dataset) => dataset.Split('/')[0];

    internal static int Depth(string dataset) => dataset.Count(c => c == '/');

    private static IEnumerable<string> Ancestors(string dataset)
    {
        for (var i = dataset.LastIndexOf('/'); i > 0; i = dataset.LastIndexOf('/', i - 1))
            yield return dataset[..i];
    }

}
