using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DPlaneOS.Gateway.OpenApi;

/// <summary>
/// What makes the OpenAPI document usable by a client generator: the bearer scheme every route but liveness needs,
/// an operationId on every operation, and servers without a trailing slash.
/// </summary>
public static class ApiDocumentTransformers
{
    public const string BearerScheme = "bearer";

    public static void AddDaemonTransformers(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API token (dplaned token create, or <data-dir>/api-token for the first admin token). " +
                              "Roles: read (GET), operator (acknowledge, silences, test deliveries, support bundle), admin (everything).",
            };
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var endpoint = context.Description;
            operation.OperationId ??= OperationId(endpoint.HttpMethod ?? "GET", endpoint.RelativePath ?? "");
            var anonymous = endpoint.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
            operation.Security = anonymous
                ? []
                : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            return Task.CompletedTask;
        });
    }

    /// <summary><c>GET api/alerts/webhooks/{id}</c> → <c>getAlertsWebhooksById</c>: stable, unique per method and route.</summary>
    public static string OperationId(string method, string path)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "api"))
        {
            var name = segment.StartsWith('{') ? "By" + segment.Trim('{', '}').Split(':')[0] : segment;
            foreach (var word in name.Split('-', '.', '_').Where(w => w.Length > 0))
                id.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
        }
        return id.ToString();
    }
}
