namespace DPlaneOS.Zfs.Samba;

/// <summary>One tree connect: a session attached to a share (<see cref="Service"/>).</summary>
/// <param name="Encryption">The cipher in use on this tree connect, or null when the degree is <c>none</c>.</param>
public sealed record SmbTreeConnect(
    string TconId,
    string Service,
    string? SessionId,
    string? Machine,
    DateTimeOffset? ConnectedAt,
    string? Encryption);
