namespace DPlaneOS.Zfs.Model;

/// <summary>
/// One row of the <c>zpool status</c> config tree with its children.
/// Error counts printed with a suffix (<c>8.03K</c>, without <c>-p</c>) are 1024-based and rounded by zpool,
/// so they are approximate; <see cref="CountsApproximate"/> says so.
/// </summary>
/// <param name="State">As printed: ONLINE, DEGRADED, FAULTED, OFFLINE, UNAVAIL, REMOVED, AVAIL, INUSE…</param>
/// <param name="Note">Trailing text such as <c>too many errors</c>, <c>(resilvering)</c>, <c>was /dev/…</c>.</param>
public sealed record Vdev(
    string Name,
    VdevKind Kind,
    VdevClass Class,
    string State,
    long ReadErrors,
    long WriteErrors,
    long ChecksumErrors,
    string? Note,
    IReadOnlyList<Vdev> Children)
{
    /// <summary>True when at least one count was printed with a suffix (e.g. <c>8.03K</c>) and is therefore rounded.</summary>
    public bool CountsApproximate { get; init; }

    public bool IsLeaf => Children.Count == 0;

    /// <summary>The leaves under this vdev (itself when it is one), depth first in printed order.</summary>
    public IEnumerable<Vdev> Leaves()
    {
        if (IsLeaf)
        {
            yield return this;
            yield break;
        }
        foreach (var child in Children)
            foreach (var leaf in child.Leaves())
                yield return leaf;
    }
}
