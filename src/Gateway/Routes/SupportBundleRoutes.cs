using System.Text.Encodings.Web;
using DPlaneOS.Actors.Support;
using DPlaneOS.Gateway.Auth;

namespace DPlaneOS.Gateway.Routes;

public static class SupportBundleRoutes
{
    /// <summary>
    /// <c>POST /api/system/support-bundle</c>: a tar.gz streamed as it is collected (chunked, no
    /// Content-Length), with every known secret masked and a manifest.json at the end.
    /// </summary>
    public static IEndpointRouteBuilder MapSupportBundleRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/system/support-bundle", WriteBundleAsync)
            .RequireTokenRole(TokenRole.Operator)
            .WithTags("System")
            .Produces(StatusCodes.Status200OK, contentType: "application/gzip")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithSummary("A tar.gz of ZFS, SMART, journal, version and masked configuration for a bug report; streamed while collected.");
        return routes;
    }

    private static async Task<IResult> WriteBundleAsync(
        HttpContext http, SupportBundleService bundles, NodeIdentity node, IOptions<JsonOptions> json, ILogger<SupportBundleService> log, CancellationToken ct)
    {
        if (!bundles.TryBegin())
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "A support bundle is already being made",
                detail: "Only one support bundle is made at a time; try again when the running one has finished.");
        try
        {
            SecretRedactor redactor;
            try
            {
                redactor = await bundles.RedactorAsync(ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                log.LogError("Support bundle refused: the secrets to mask cannot be read: {Error}", ex.Message);
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Secrets cannot be read",
                    detail: $"The bundle masks every known secret and one source could not be read, so no bundle was made: {ex.Message}");
            }

            var context = new BundleContext(bundles.Now(), SupportBundleService.HostName(node),
                new JsonSerializerOptions(json.Value.SerializerOptions) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var name = SupportBundleService.BaseName(context.Host, context.GeneratedAt);
            http.Response.ContentType = "application/gzip";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.tar.gz\"";
            http.Response.Headers.CacheControl = "no-store";
            await http.Response.StartAsync(ct);
            var manifest = await bundles.WriteAsync(http.Response.Body, context, redactor, ct);
            log.LogInformation("Support bundle {Name}: {Entries} entries, {Bytes} bytes before compression, {Skipped} skipped, {Errors} with errors",
                name, manifest.Entries.Count, manifest.Entries.Sum(e => e.Bytes), manifest.Skipped.Count, manifest.Entries.Count(e => e.Error is not null));
            return Results.Empty;
        }
        finally
        {
            bundles.End();
        }
    }
}
