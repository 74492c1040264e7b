namespace DPlaneOS.Integration.Tests;

/// <summary>Tests on the one zfs-fuse daemon run one after another: zfs-fuse is slow under parallel load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ZfsFuseCollection
{
    public const string Name = "zfs-fuse";
}
