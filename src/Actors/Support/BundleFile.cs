namespace DPlaneOS.Actors.Support;

/// <summary>
/// One file for the bundle, before redaction. <see cref="Text"/> null means "skipped": nothing is
/// written and the manifest says why (<see cref="Error"/>), e.g. <c>zpool events</c> on zfs-fuse.
/// </summary>
/// <param name="Path">Relative path inside the bundle, e.g. <c>zfs/zpool-status.txt</c>.</param>
/// <param name="Command">The command line that produced it, if any.</param>
/// <param name="ExitCode">The command's exit code, if it ran to the end.</param>
/// <param name="Error">What went wrong, or why it was skipped; null when all went well.</param>
public sealed record BundleFile(string Path, string? Text, string? Command, int? ExitCode, TimeSpan Duration, string? Error)
{
    public static BundleFile Skipped(string path, string reason, string? command = null) => new(path, null, command, null, TimeSpan.Zero, reason);
}
