namespace DPlaneOS.Zfs.Model;

public enum ScanKind
{
    None,
    Scrub,
    Resilver,
}
