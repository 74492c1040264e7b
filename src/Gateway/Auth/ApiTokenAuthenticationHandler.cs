using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace DPlaneOS.Gateway.Auth;

/// <summary>
/// Bearer API tokens. WebSocket clients may pass the token as <c>?access_token=</c> because
/// browsers cannot set headers on a WebSocket handshake; plain HTTP requests may not.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The claim that holds the token's <see cref="TokenRole"/>, by its name.</summary>
    public const string RoleClaim = "dplaneos:role";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedToken();
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());

        var token = tokens.Authenticate(presented);
        if (token is null) return Task.FromResult(AuthenticateResult.Fail("invalid token"));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, token.Name), new Claim(RoleClaim, token.Role.Name())], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        var detail = failure is null
            ? "This route needs 'Authorization: Bearer <token>'. The admin token was written to <data-dir>/api-token at first start."
            : "The bearer token is not valid (unknown, revoked or expired).";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Unauthorized",
            Detail = detail,
            Instance = Request.Path,
        }).ExecuteAsync(Context);
    }

    private string? PresentedToken()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var value = header["Bearer ".Length..].Trim();
            return value.Length == 0 ? null : value;
        }
        if (Context.WebSockets.IsWebSocketRequest && Request.Query.TryGetValue("access_token", out var query))
        {
            var value = query.ToString();
            return value.Length == 0 ? null : value;
        }
        return null;
    }
}
