namespace DPlaneOS.Zfs.Model;

/// <summary>What a row of the <c>zpool status</c> config tree is, judged from its name and place.</summary>
public enum VdevKind
{
    /// <summary>The pool's own row, root of the data tree.</summary>
    Pool,
    Mirror,
    /// <summary>raidz1/2/3 (<c>raidz2-0</c>; old zfs-fuse prints <c>raidz1</c>).</summary>
    Raidz,
    /// <summary>A dRAID group such as <c>draid1:2d:4c:1s-0</c>.</summary>
    Draid,
    /// <summary><c>replacing-N</c>: old and new disk while a replace resilvers.</summary>
    Replacing,
    /// <summary><c>spare-N</c>: a failed disk and the hot spare standing in for it.</summary>
    Spare,
    /// <summary><c>indirect-N</c>: a removed top-level vdev that still maps old blocks.</summary>
    Indirect,
    /// <summary>A dRAID distributed spare such as <c>draid1-0-0</c>: a leaf, but no physical disk.</summary>
    DistributedSpare,
    /// <summary>A leaf: a device name, a /dev path, or (zfs-fuse) a file path. Status text cannot tell files from devices.</summary>
    Disk,
    /// <summary>Not produced by the status parser (see <see cref="Disk"/>); kept for callers that know better.</summary>
    File,
    /// <summary>Not produced: class header lines (<c>logs</c>, <c>cache</c>…) become <see cref="VdevClass"/> instead.</summary>
    ClassHeader,
}
