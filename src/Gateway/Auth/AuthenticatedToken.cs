namespace DPlaneOS.Gateway.Auth;

/// <summary>Who a request is: the token's name (what the audit chain records) and its role.</summary>
public sealed record AuthenticatedToken(string Name, TokenRole Role);
