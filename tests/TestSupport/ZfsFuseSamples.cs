namespace DPlaneOS.TestSupport;

/// <summary>zfs-fuse output shapes (file vdevs, human sizes), as captured in tests/Zfs.Tests/Fixtures.</summary>
public static class ZfsFuseSamples
{
    public const string MirrorStatus = """
          pool: tank
         state: ONLINE
         scrub: none requested
        config:

        	NAME                     STATE     READ WRITE CKSUM
        	tank                     ONLINE       0     0     0
        	  mirror-0               ONLINE       0     0     0
        	    /var/tmp/lab/tank/d1  ONLINE       0     0     0
        	    /var/tmp/lab/tank/d2  ONLINE       0     0     0

        errors: No known data errors

        """;

    public const string MirrorList = "tank\t250M\t1.2M\t249M\t0%\tONLINE\n";

    /// <summary>A mirror built from by-id names, as OpenZFS prints it.</summary>
    public const string ByIdMirrorStatus = """
          pool: tank
         state: ONLINE
          scan: scrub repaired 0B in 00:00:01 with 0 errors on Sun Nov 29 08:00:00 2026
        config:

        	NAME                STATE     READ WRITE CKSUM
        	tank                ONLINE       0     0     0
        	  mirror-0          ONLINE       0     0     0
        	    ata-LAB_DISK_1  ONLINE       0     0     0
        	    ata-LAB_DISK_2  ONLINE       0     0     0

        errors: No known data errors

        """;
}
