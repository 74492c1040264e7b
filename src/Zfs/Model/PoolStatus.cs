namespace DPlaneOS.Zfs.Model;

/// <summary>One pool of <c>zpool status</c> output.</summary>
/// <param name="Status">The <c>status:</c> text, continuation lines joined with one space.</param>
/// <param name="Action">The <c>action:</c> text, joined the same way.</param>
/// <param name="Scan">The scan in progress if any, else the first scan line, else <see cref="ScanInfo.Absent"/>.</param>
/// <param name="ScanLines">Every scan line in printed order (dRAID prints two).</param>
/// <param name="Errors">Text after <c>errors:</c>; several errors entries and listed files joined by "\n".</param>
/// <param name="DataErrorCount">
/// N from "N data errors", 0 for "No known data errors", the number of listed entries for
/// "Permanent errors … in the following files:" (a lower bound), null when nothing says.
/// </param>
/// <param name="Root">The pool row (<see cref="VdevKind.Pool"/>) with the data vdevs as children.</param>
public sealed record PoolStatus(
    string Name,
    string State,
    string? Status,
    string? Action,
    string? See,
    ScanInfo Scan,
    IReadOnlyList<ScanInfo> ScanLines,
    string? Errors,
    long? DataErrorCount,
    Vdev Root,
    IReadOnlyList<Vdev> Logs,
    IReadOnlyList<Vdev> Caches,
    IReadOnlyList<Vdev> Spares,
    IReadOnlyList<Vdev> Special,
    IReadOnlyList<Vdev> Dedup)
{
    /// <summary>Every leaf of every class: data, dedup, special, logs, cache, spares.</summary>
    public IEnumerable<Vdev> AllLeaves() =>
        Root.Leaves()
            .Concat(Dedup.SelectMany(v => v.Leaves()))
            .Concat(Special.SelectMany(v => v.Leaves()))
            .Concat(Logs.SelectMany(v => v.Leaves()))
            .Concat(Caches.SelectMany(v => v.Leaves()))
            .Concat(Spares.SelectMany(v => v.Leaves()));
}
