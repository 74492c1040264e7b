using System.Text.RegularExpressions;

namespace DPlaneOS.Zfs.Health;

/// <summary>
/// Maps a vdev leaf to the whole disk smartctl should read. Leaves may be by-id names
/// (<c>ata-WDC_…-part1</c>, what GitOps requires), kernel names (<c>sda1</c>, <c>nvme0n1p4</c>)
/// or full paths; the original only understood kernel names and so never read by-id pools.
/// </summary>
public sealed partial class DiskDeviceResolver(string deviceRoot = "/dev")
{
    public DeviceResolution Resolve(string leaf)
    {
        var candidate = leaf.StartsWith('/') ? FirstExisting(leaf) : FirstExisting(
            Path.Combine(deviceRoot, "disk", "by-id", leaf),
            Path.Combine(deviceRoot, leaf));
        if (candidate is null) return new DeviceResolution(leaf, null, "no such device");
        // A by-id link may point at a file (the lab) rather than at a disk: follow it to the end.
        string target;
        try
        {
            target = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
        }
        catch (IOException ex)
        {
            return new DeviceResolution(leaf, null, $"cannot follow {candidate}: {ex.Message}");
        }
        if (!target.StartsWith(deviceRoot + "/", StringComparison.Ordinal))
            return new DeviceResolution(leaf, null, "not a block device (file vdev)");
        return new DeviceResolution(leaf, WholeDisk(candidate), null);
    }

    /// <summary>The whole disk of a partition path: <c>…-part1</c>, <c>sda1</c>, <c>nvme0n1p4</c>.</summary>
    public static string WholeDisk(string path)
    {
        var byIdPart = ByIdPartition().Match(path);
        if (byIdPart.Success) return path[..byIdPart.Index];
        var nvme = NvmePartition().Match(path);
        if (nvme.Success) return path[..nvme.Index];
        var scsi = ScsiPartition().Match(path);
        if (scsi.Success) return path[..scsi.Index];
        return path;
    }

    private static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);

    [GeneratedRegex(@"-part[0-9]+\z")]
    private static partial Regex ByIdPartition();

    [GeneratedRegex(@"(?<=/(nvme[0-9]+n[0-9]+|mmcblk[0-9]+))p[0-9]+\z")]
    private static partial Regex NvmePartition();

    [GeneratedRegex(@"(?<=/(sd|hd|vd|xvd)[a-z]+)[0-9]+\z")]
    private static partial Regex ScsiPartition();
}
