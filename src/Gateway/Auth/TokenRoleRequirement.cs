using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace DPlaneOS.Gateway.Auth;

/// <summary>
/// Every authenticated request must hold the role its route needs: the route's <see cref="RequiredTokenRole"/>, else
/// <see cref="TokenRole.Read"/> for GET and HEAD (the WebSocket handshake is a GET) and <see cref="TokenRole.Admin"/>
/// for everything else, so a new route that changes something is admin-only until someone decides otherwise.
/// </summary>
public sealed class TokenRoleRequirement : AuthorizationHandler<TokenRoleRequirement>, IAuthorizationRequirement
{
    public static TokenRole Needed(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RequiredTokenRole>()?.Role
        ?? (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? TokenRole.Read : TokenRole.Admin);

    public static TokenRole? Held(ClaimsPrincipal user) =>
        TokenRoles.TryParse(user.FindFirstValue(ApiTokenAuthenticationHandler.RoleClaim), out var role) ? role : null;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenRoleRequirement requirement)
    {
        if (context.Resource is not HttpContext http) return Task.CompletedTask;
        var needed = Needed(http);
        var held = Held(context.User);
        if (held is { } role && role.Includes(needed)) context.Succeed(requirement);
        else context.Fail(new AuthorizationFailureReason(this, $"needs the '{needed.Name()}' role"));
        return Task.CompletedTask;
    }
}

/// <summary>Endpoint metadata: the role a route needs when the method alone would say otherwise.</summary>
public sealed record RequiredTokenRole(TokenRole Role);

public static class RequiredTokenRoleExtensions
{
    public static TBuilder RequireTokenRole<TBuilder>(this TBuilder builder, TokenRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredTokenRole(role));
}
