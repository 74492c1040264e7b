namespace DPlaneOS.Zfs.Model;

public enum ScanState
{
    None,
    InProgress,
    Finished,
    Paused,
    Canceled,
}
