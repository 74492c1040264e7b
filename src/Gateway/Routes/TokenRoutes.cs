using DPlaneOS.Gateway.Auth;

namespace DPlaneOS.Gateway.Routes;

/// <summary>/api/system/tokens: the API tokens, for admins only. A new token's clear text is in the create answer, once.</summary>
public static class TokenRoutes
{
    /// <summary>A token as listed: never its hash.</summary>
    public sealed record TokenView(string Name, TokenRole Role, DateTimeOffset Created, DateTimeOffset? Expires, bool Expired);

    public sealed record TokenList(IReadOnlyList<TokenView> Tokens);

    /// <summary>The answer to a create: <paramref name="Token"/> is shown this once and kept nowhere.</summary>
    public sealed record CreatedToken(string Name, TokenRole Role, DateTimeOffset? Expires, string Token);

    public static IEndpointRouteBuilder MapTokenRoutes(this IEndpointRouteBuilder routes)
    {
        var tokens = routes.MapGroup("/api/system/tokens").WithTags("System").RequireTokenRole(TokenRole.Admin);
        tokens.MapGet("", (ApiTokenStore store, TimeProvider time) => Results.Ok(List(store, time)))
            .Produces<TokenList>()
            .WithSummary("Every API token: name, role (read, operator, admin), created, expires. Never a token or its hash.");
        tokens.MapPost("", async (HttpRequest request, ApiTokenStore store, CancellationToken ct) =>
            {
                var (parsed, problem) = await JsonBody.ReadAsync(request, body => (TokenRequest.Parse(body, out var errors), errors), ct);
                if (parsed is null) return problem!;
                var change = store.Create(parsed.Name, parsed.Role, parsed.Expires);
                return change.Succeeded
                    ? Results.Created($"/api/system/tokens/{parsed.Name}", new CreatedToken(parsed.Name, parsed.Role, parsed.Expires, change.ClearToken!))
                    : Refused(change);
            })
            .Produces<CreatedToken>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a token {name, role, expires?}; the answer holds its clear text, once. Takes effect at once.");
        tokens.MapDelete("/{name}", (string name, ApiTokenStore store) =>
            {
                var change = store.Revoke(name);
                return change.Succeeded ? Results.NoContent() : Refused(change);
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Revokes a token: it stops authenticating within a second. The last admin token cannot be revoked (409).");
        return routes;
    }

    private static TokenList List(ApiTokenStore store, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new TokenList(store.List().Select(t => new TokenView(t.Name, t.EffectiveRole, t.Created, t.Expires, t.ExpiredAt(now))).ToList());
    }

    private static IResult Refused(TokenChange change) => change.Refusal switch
    {
        TokenChange.Reason.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: change.Problem),
        TokenChange.Reason.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: change.Problem),
        _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: change.Problem),
    };
}
