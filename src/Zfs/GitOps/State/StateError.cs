namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// One problem in state.yaml. <paramref name="Line"/> and <paramref name="Column"/> are 1-based and
/// always set, so an editor can jump to the spot; <paramref name="Path"/> names the element
/// (<c>pools[0].disks[1]</c>; empty for the document itself).
/// </summary>
public sealed record StateError(int Line, int Column, string Path, string Message)
{
    public override string ToString() =>
        Path.Length == 0 ? $"{Line}:{Column}: {Message}" : $"{Line}:{Column}: {Path}: {Message}";
}
