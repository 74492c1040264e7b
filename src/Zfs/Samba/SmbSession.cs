namespace DPlaneOS.Zfs.Samba;

/// <summary>One authenticated SMB session.</summary>
/// <param name="Dialect">e.g. <c>SMB3_11</c>, <c>SMB2_10</c>.</param>
/// <param name="Encryption">The cipher in use (<c>AES-128-GCM</c>), or null when the degree is <c>none</c>.</param>
/// <param name="Signing">The signing algorithm in use (<c>HMAC-SHA256</c>), or null when the degree is <c>none</c>.</param>
public sealed record SmbSession(
    string SessionId,
    string? Username,
    string? RemoteMachine,
    string? Dialect,
    string? Encryption,
    string? Signing);
