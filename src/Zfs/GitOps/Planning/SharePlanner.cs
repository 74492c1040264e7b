using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>
/// Share items. Names match case-insensitively, as in SMB. Shares carry no commands: the SMB-config
/// writer regenerates the daemon's include file from the desired shares and reloads smbd.
/// </summary>
internal static class SharePlanner
{
    public static IEnumerable<PlanItem> Plan(DesiredState desired, LiveState live, List<UnmanagedResource> unmanaged)
    {
        var liveByName = live.Shares.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var active = new HashSet<string>(live.ActiveShareNames, StringComparer.OrdinalIgnoreCase);

        foreach (var share in desired.Shares)
        {
            yield return liveByName.TryGetValue(share.Name, out var liveShare)
                ? Compare(share, liveShare)
                : PlanBuilder.Item(PlanAction.Create, ResourceKind.Share, share.Name, PlanRisk.Low,
                    $"share '{share.Name}' does not exist", [], Fields(share).Select(f => new PropertyChange(f.Name, null, f.Value)).ToList());
        }

        var declared = desired.Shares.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var share in live.Shares.Where(s => !declared.Contains(s.Name)).DistinctBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
                     .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (!desired.PruneShares)
                unmanaged.Add(new UnmanagedResource(ResourceKind.Share, share.Name, "share is not declared in state.yaml and prune_shares is off"));
            else if (active.Contains(share.Name))
                yield return PlanBuilder.Item(PlanAction.Blocked, ResourceKind.Share, share.Name, PlanRisk.High,
                    $"share '{share.Name}' has active SMB connections; removing it now can lose data that clients have not written back. " +
                    "Disconnect the clients, then plan again", [], []);
            else
                yield return PlanBuilder.Item(PlanAction.Delete, ResourceKind.Share, share.Name, PlanRisk.Low,
                    $"share '{share.Name}' is not in state.yaml and prune_shares is on; no client is connected (data on disk stays)", [], []);
        }
    }

    private static PlanItem Compare(SmbShare share, SmbShare live)
    {
        var liveFields = Fields(live.Name, live.Path, live.ReadOnly, live.ValidUsers, live.Comment, live.GuestOk).ToDictionary(f => f.Name, f => f.Value);
        var changes = Fields(share)
            .Where(f => liveFields[f.Name] != f.Value)
            .Select(f => new PropertyChange(f.Name, liveFields[f.Name], f.Value))
            .ToList();
        if (changes.Count == 0)
            return PlanBuilder.Item(PlanAction.Nop, ResourceKind.Share, share.Name, PlanRisk.Low, "in sync", [], []);
        return PlanBuilder.Item(PlanAction.Modify, ResourceKind.Share, share.Name, PlanRisk.Low,
            $"{changes.Count} setting{(changes.Count == 1 ? " differs" : "s differ")}", [], changes);
    }

    private static IEnumerable<(string Name, string Value)> Fields(SmbShare s) =>
        Fields(s.Name, s.Path, s.ReadOnly, s.ValidUsers, s.Comment, s.GuestOk);

    /// <summary>valid_users compares as a set: order in the file carries no meaning for Samba.</summary>
    private static IEnumerable<(string Name, string Value)> Fields(string name, string path, bool readOnly, IReadOnlyList<string> users, string comment, bool guestOk) =>
    [
        ("name", name),
        ("path", path),
        ("read_only", readOnly ? "yes" : "no"),
        ("valid_users", string.Join(",", users.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))),
        ("comment", comment),
        ("guest_ok", guestOk ? "yes" : "no"),
    ];
}
