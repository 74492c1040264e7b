using System.Collections.Immutable;

namespace DPlaneOS.Actors.Watch;

/// <summary>Changes to one path not yet published: what happened, how often, and when first and last.</summary>
public sealed record PendingChange(string Path, string Root, ImmutableSortedSet<string> Kinds, int Count, DateTimeOffset FirstAt, DateTimeOffset LastAt);

/// <summary>
/// Coalesces bursts of file changes per path: the first change to a path opens a window, changes in
/// the window are merged, and the path is due when the window ends. The window is fixed from the
/// first change (not sliding), so a file written without pause is still reported every window.
/// </summary>
public sealed record PendingChanges(ImmutableDictionary<string, PendingChange> ByPath)
{
    public static PendingChanges Empty { get; } = new(ImmutableDictionary<string, PendingChange>.Empty.WithComparers(StringComparer.Ordinal));

    public bool IsEmpty => ByPath.IsEmpty;

    public PendingChanges Add(string path, string root, string kind, DateTimeOffset at) =>
        new(ByPath.SetItem(path, ByPath.TryGetValue(path, out var pending)
            ? pending with { Kinds = pending.Kinds.Add(kind), Count = pending.Count + 1, LastAt = at }
            : new PendingChange(path, root, [kind], 1, at, at)));

    /// <summary>When the earliest window ends, or null when nothing is pending.</summary>
    public DateTimeOffset? NextDue(TimeSpan window) => ByPath.IsEmpty ? null : ByPath.Values.Min(p => p.FirstAt) + window;

    /// <summary>Splits off the paths whose window has ended by <paramref name="now"/>, oldest first.</summary>
    public (PendingChanges Remaining, IReadOnlyList<PendingChange> Due) TakeDue(DateTimeOffset now, TimeSpan window)
    {
        var due = ByPath.Values.Where(p => p.FirstAt + window <= now).OrderBy(p => p.FirstAt).ThenBy(p => p.Path, StringComparer.Ordinal).ToList();
        return due.Count == 0 ? (this, due) : (new PendingChanges(ByPath.RemoveRange(due.Select(p => p.Path))), due);
    }
}
