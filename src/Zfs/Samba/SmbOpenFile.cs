namespace DPlaneOS.Zfs.Samba;

/// <summary>
/// One open of a file (a file opened twice is two entries). <see cref="Pid"/> is the smbd process
/// holding it; <see cref="Username"/> comes from the session served by that process, because
/// smbstatus itself only prints the uid.
/// </summary>
public sealed record SmbOpenFile(string ServicePath, string Filename, int? Pid, string? Username);
