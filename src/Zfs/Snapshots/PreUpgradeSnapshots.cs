using System.Globalization;
using System.Text.RegularExpressions;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Zfs.Snapshots;

/// <summary>
/// The pure rules of pre-upgrade snapshots: their name (<c>pre-upgrade-&lt;UTC yyyyMMddTHHmmssZ&gt;</c>),
/// which exist, and which retention removes. Only names matching the exact pattern are ever
/// considered, so a hand-made <c>pre-upgrade-keep</c> or <c>manual</c> snapshot is never touched.
/// </summary>
public static partial class PreUpgradeSnapshots
{
    public const string Prefix = "pre-upgrade-";
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The snapshot name for a run at <paramref name="now"/> (converted to UTC, whole seconds).</summary>
    public static string NameAt(DateTimeOffset now) =>
        Prefix + now.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The UTC time in a pre-upgrade snapshot name, or null when the name is not exactly one.</summary>
    public static DateTimeOffset? TimeOf(string snapshotName)
    {
        var match = NamePattern().Match(snapshotName);
        if (!match.Success) return null;
        return DateTime.TryParseExact(match.Groups[1].Value, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;
    }

    /// <summary>
    /// Groups the pre-upgrade snapshots found in <c>zfs get -Hp creation,used -r</c> rows: one entry per
    /// pool and name (a recursive snapshot is one entry however many datasets it covers), newest first.
    /// Created is the root snapshot's creation time (the earliest when the root one is gone); used is
    /// the sum over every dataset.
    /// </summary>
    public static IReadOnlyList<PreUpgradeSnapshot> Summarize(IEnumerable<ZfsDatasetProperties> rows)
    {
        var found = new Dictionary<(string Pool, string Name), List<ZfsDatasetProperties>>();
        foreach (var row in rows)
        {
            if (Split(row.Name) is not { } target || TimeOf(target.Snapshot) is null) continue;
            var key = (PoolOf(target.Dataset), target.Snapshot);
            if (!found.TryGetValue(key, out var members)) found[key] = members = [];
            members.Add(row);
        }
        return found
            .Select(group =>
            {
                var (pool, name) = group.Key;
                var root = group.Value.FirstOrDefault(r => r.Name == $"{pool}@{name}");
                var created = (root ?? group.Value.MinBy(r => r.Bytes("creation") ?? long.MaxValue))!.Bytes("creation");
                return new PreUpgradeSnapshot(
                    pool,
                    name,
                    created is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
                    group.Value.Sum(r => r.Bytes("used") ?? 0),
                    group.Value.Count);
            })
            .OrderBy(s => s.Pool, StringComparer.Ordinal)
            .ThenByDescending(s => TimeOf(s.Name))
            .ToList();
    }

    /// <summary>
    /// What retention destroys in one pool so that only the newest <paramref name="keep"/> pre-upgrade
    /// names remain. Each target is the top-most dataset holding that snapshot, to be destroyed with
    /// <c>-r</c>: usually the pool root, but a child that got the snapshot on its own (or whose root
    /// snapshot is gone) is covered too. Oldest first. <paramref name="snapshots"/> are full
    /// <c>dataset@name</c> names.
    /// </summary>
    public static IReadOnlyList<SnapshotTarget> RemovalTargets(IEnumerable<string> snapshots, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var byName = snapshots
            .Select(Split)
            .OfType<SnapshotTarget>()
            .Where(t => TimeOf(t.Snapshot) is not null)
            .GroupBy(t => t.Snapshot, StringComparer.Ordinal)
            .OrderByDescending(g => TimeOf(g.Key))
            .Skip(keep)
            .Reverse();
        var targets = new List<SnapshotTarget>();
        foreach (var group in byName)
        {
            var holders = group.Select(t => t.Dataset).ToHashSet(StringComparer.Ordinal);
            targets.AddRange(holders
                .Where(dataset => !Ancestors(dataset).Any(holders.Contains))
                .Order(StringComparer.Ordinal)
                .Select(dataset => new SnapshotTarget(dataset, group.Key)));
        }
        return targets;
    }

    /// <summary>The pool a dataset belongs to: its first component.</summary>
    public static string PoolOf(string dataset)
    {
        var slash = dataset.IndexOf('/');
        return slash < 0 ? dataset : dataset[..slash];
    }

    private static SnapshotTarget? Split(string fullName)
    {
        var at = fullName.IndexOf('@');
        return at <= 0 || at == fullName.Length - 1 ? null : new SnapshotTarget(fullName[..at], fullName[(at + 1)..]);
    }

    private static IEnumerable<string> Ancestors(string dataset)
    {
        for (var slash = dataset.LastIndexOf('/'); slash > 0; slash = dataset.LastIndexOf('/', slash - 1))
            yield return dataset[..slash];
    }

    [GeneratedRegex(@"\Apre-upgrade-([0-9]{8}T[0-9]{6}Z)\z")]
    private static partial Regex NamePattern();
}
