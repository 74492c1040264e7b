namespace DPlaneOS.Zfs.Smart;

/// <summary>Seagate's attribute 1/7 raw: errors seen and operations done, packed into 48 bits.</summary>
public sealed record SeagateErrorRate(long Errors, long Operations);

/// <summary>Seagate's attribute 188 raw: three 16-bit counters, least significant first.</summary>
/// <param name="Low">Bits 0-15: the count of timed-out commands. The other two never exceed it in real drives.</param>
/// <param name="Middle">Bits 16-31: a subset of <see cref="Low"/> (commonly read as the longer timeouts).</param>
/// <param name="High">Bits 32-47: a subset of <see cref="Middle"/>.</param>
public sealed record SeagateCommandTimeouts(int Low, int Middle, int High);
