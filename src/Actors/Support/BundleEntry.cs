namespace DPlaneOS.Actors.Support;

/// <summary>
/// One planned piece of the bundle: a name and how to collect it. Collection runs lazily, a few
/// entries ahead of the one being written; it may yield several files (a command's output and
/// its <c>.error.txt</c>). An exception becomes an error file, never a failed bundle.
/// </summary>
public sealed record BundleEntry(string Path, Func<CancellationToken, Task<IReadOnlyList<BundleFile>>> CollectAsync);
