using System.Text.RegularExpressions;

namespace DPlaneOS.Zfs.GitOps;

/// <summary>
/// <c>zpool status -P</c> shows a whole-disk vdev by its partition (<c>…-part1</c>), while state.yaml
/// names the whole disk. Stripping the partition suffix makes both sides comparable.
/// </summary>
public static partial class DiskIdNormalizer
{
    public static string Normalize(string disk) => PartitionSuffix().Replace(disk.Trim(), "");

    [GeneratedRegex(@"-part[0-9]+\z")]
    private static partial Regex PartitionSuffix();
}
