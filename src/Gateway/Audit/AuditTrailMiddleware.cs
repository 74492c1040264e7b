using System.Security.Claims;
using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Gateway.Audit;

/// <summary>
/// Puts every authenticated mutating request under <c>/api</c> (any method but GET, HEAD, OPTIONS)
/// into the audit chain, whatever endpoint handles it, so no route has to opt in. It runs after
/// authentication and before authorization, and the record is persisted before the status line is
/// sent (<see cref="HttpResponse.OnStarting(Func{Task})"/>, or at the end when the response never
/// started). success = status &lt; 400.
/// </summary>
/// <remarks>
/// Which requests are recorded:
/// <list type="bullet">
/// <item>Authenticated requests to real routes, including ones refused later (403 by a future RBAC
/// policy, 400 for bad input, 500): recorded.</item>
/// <item>Authenticated requests to unknown routes or with an unsupported method (404, 405):
/// recorded, action = method and raw path. A token holder probing for routes is worth seeing,
/// and holding a token bounds how many such records anyone can cause.</item>
/// <item>Unauthenticated requests (no or an invalid token, answered 401 by the fallback policy):
/// not chained, logged. They never reach an endpoint and change nothing, and chaining them
/// would let anyone who can reach the port grow the chain without a credential.</item>
/// </list>
/// When the record cannot be persisted in time the request fails with 500: the response never
/// claims success for an action the audit chain does not show.
/// </remarks>
public sealed class AuditTrailMiddleware(RequestDelegate next, IRequiredActor<AuditLog> audit, DPlaneOSOptions options, ILogger<AuditTrailMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsMutatingApiRequest(context.Request))
        {
            await next(context);
            return;
        }

        var principal = context.User;
        var source = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (principal.Identity?.IsAuthenticated != true)
        {
            await next(context);
            log.LogInformation("Not audited: unauthenticated {Method} {Path} from {Source} answered {Status}",
                context.Request.Method, context.Request.Path.Value, source, context.Response.StatusCode);
            return;
        }

        var details = await AuditRequestSummary.DetailsAsync(context.Request, context.RequestAborted);
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var path = context.Request.Path.Value ?? "";
        var record = new PendingRecord(audit.ActorRef, options.Audit.PersistTimeout,
            principal.FindFirstValue(ClaimTypes.Name) ?? principal.Identity.Name ?? "unknown",
            $"{context.Request.Method} {(pattern is null ? path : "/" + pattern.TrimStart('/'))}",
            path, details, source);
        // Before the status line: await the persist. A failure here makes Kestrel abort the response
        // with 500 (the handler's body may be half written); once a failure was seen, the error
        // response written after it is let through.
        context.Response.OnStarting(async () =>
        {
            if (!record.Failed && !await TryPersistAsync(record, context.Response.StatusCode))
                throw new InvalidOperationException($"The audit record of {record.Action} could not be persisted; the response is withheld");
        });
        try
        {
            await next(context);
        }
        catch (Exception) when (record.Failed)
        {
            // The handler's write failed because the record could not be persisted before the status
            // line; Kestrel answers 500 with no body. Nothing more to report here.
            return;
        }
        catch (Exception)
        {
            // The exception handler outside us turns this into a 500; record that outcome first.
            await TryPersistAsync(record, StatusCodes.Status500InternalServerError);
            throw;
        }
        // A response without a body (204, or a client that went away) has not started yet.
        if (!await TryPersistAsync(record, context.Response.StatusCode) && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Audit record not written",
                detail: "The request was handled but its audit record could not be persisted, so success is not reported. Check the daemon log and GET /api/system/audit.")
                .ExecuteAsync(context);
        }
    }

    /// <summary>False (logged) when the record could not be persisted; the response must then not report success.</summary>
    private async Task<bool> TryPersistAsync(PendingRecord record, int status)
    {
        try
        {
            await record.PersistAsync(status);
            return true;
        }
        catch (Exception ex)
        {
            // Any failure (timeout, journal error relayed by the writer) means: not in the chain.
            log.LogError(ex, "The audit record of {Action} could not be persisted", record.Action);
            return false;
        }
    }

    internal static bool IsMutatingApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);

    /// <summary>One request's record, persisted exactly once, by whichever path comes first.</summary>
    private sealed class PendingRecord(IActorRef audit, TimeSpan timeout, string actor, string action, string resource, Dictionary<string, string> details, string source)
    {
        private Task? _persisted;

        public string Action => action;

        /// <summary>The persist has failed; whatever response goes out now is an error response.</summary>
        public bool Failed => _persisted is { IsFaulted: true } or { IsCanceled: true };

        public Task PersistAsync(int status) => _persisted ??= Persist(status);

        private async Task Persist(int status)
        {
            details["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var entry = new AuditEntry(actor, action, resource, details, source, status < 400);
            // Not the request's token: the action may already have happened, so it must be recorded
            // even when the client has gone.
            await audit.Ask<AuditLog.Protocol.Recorded>(new AuditLog.Protocol.Record(entry), timeout);
        }
    }
}
