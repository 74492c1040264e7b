namespace DPlaneOS.Zfs.Tests.GitOps.State;

/// <summary>Sample documents shared by parser tests, fuzzing and the original-suite ports.</summary>
internal static class StateYaml
{
    public const string Disk1 = "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K1234567";
    public const string Disk2 = "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K7654321";

    /// <summary>The original suite's ParseStateYAML_Valid input, in our schema.</summary>
    public const string Valid = """
        version: 1
        pools:
          - name: tank
            vdev_type: mirror
            disks:
              - /dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K1234567
              - /dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K7654321
            ashift: 12
        datasets:
          - name: tank/data
            quota: 2T
            compression: lz4
            atime: "off"
            mountpoint: /tank/data
        shares:
          - name: media
            path: /tank/data
            read_only: false
            valid_users: "@users"
        """;

    /// <summary>Exercises every key, for mutation fuzzing.</summary>
    public const string Full = """
        version: 1
        prune_pools: false
        prune_shares: true
        pools:
          - name: tank
            vdev_type: raidz2
            disks:
              - /dev/disk/by-id/ata-A1
              - /dev/disk/by-id/ata-A2
              - /dev/disk/by-id/usb-Vendor_Model-0:0
            ashift: 12
            properties:
              autotrim: "on"
              org.dplaneos:owner: ops
            prune: true
        datasets:
          - name: tank/media
            quota: 10G
            compression: zstd-3
            atime: off
            mountpoint: /tank/media
            recordsize: 1M
          - name: tank/secret
            encryption: aes-256-gcm
            key_format: raw
            key_location: file:///etc/dplaneos/keys/secret.key
            casesensitivity: insensitive
        shares:
          - name: media
            path: /tank/media
            read_only: true
            valid_users: [alice, "@family"]
            comment: Family media
            guest_ok: false
        """;
}
