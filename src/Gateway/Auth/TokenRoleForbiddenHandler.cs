using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace DPlaneOS.Gateway.Auth;

/// <summary>A token whose role is too small gets a 403 problem that names the role needed and the one it has.</summary>
public sealed class TokenRoleForbiddenHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.User.Identity?.IsAuthenticated != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var needed = TokenRoleRequirement.Needed(context);
        var held = TokenRoleRequirement.Held(context.User);
        var name = context.User.Identity.Name ?? "unknown";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = $"{context.Request.Method} {context.Request.Path} needs a token with the '{needed.Name()}' role; the token '{name}' has the '{held?.Name() ?? "none"}' role.",
            Instance = context.Request.Path,
            Extensions = { ["requiredRole"] = needed.Name(), ["tokenRole"] = held?.Name() },
        }).ExecuteAsync(context);
    }
}
