namespace DPlaneOS.Zfs.Model;

/// <summary>Which section of the pool a vdev belongs to (the class header lines of <c>zpool status</c>).</summary>
public enum VdevClass
{
    Data,
    Log,
    Cache,
    Spare,
    Special,
    Dedup,
}
