namespace DPlaneOS.Gateway.Auth;

/// <summary>The outcome of creating or revoking a token.</summary>
/// <param name="ClearToken">The new token's clear text (create only): shown once, kept nowhere.</param>
/// <param name="Problem">Why nothing was changed; null when it was.</param>
public sealed record TokenChange(string? Name, TokenRole? Role, string? ClearToken, TokenChange.Reason? Refusal, string? Problem)
{
    public enum Reason
    {
        BadInput,
        NotFound,
        Conflict,
    }

    public bool Succeeded => Problem is null;

    public static TokenChange Done(string name, TokenRole role, string? clearToken) => new(name, role, clearToken, null, null);

    public static TokenChange Refused(Reason reason, string problem) => new(null, null, null, reason, problem);
}
