using System.Runtime.Versioning;

// dplaned runs on Linux NAS appliances only (ZFS, Unix file modes, systemd).
[assembly: SupportedOSPlatform("linux")]
