namespace DPlaneOS.Gateway.WebSockets;

/// <summary>
/// <c>WS /api/ws/monitor</c>: every monitor event (all severities) and every alert notification, as
/// JSON text frames, to authenticated clients (bearer header, or <c>?access_token=</c> since browsers
/// cannot set headers on a handshake). Browser origins other than the daemon's own host must be listed
/// in <c>DPlaneOS:WebSocket:AllowedOrigins</c>.
/// </summary>
public static class MonitorSocketRoutes
{
    public const string Path = "/api/ws/monitor";

    /// <summary>Most patterns one <c>?types=</c> may list.</summary>
    public const int MaxTypePatterns = 32;

    private static long _connections;

    public static IServiceCollection AddMonitorSocket(this IServiceCollection services, MonitorSocketOptions options)
    {
        options.Validate();
        return services.AddSingleton(options).AddSingleton<MonitorSocketSessions>();
    }

    public static IEndpointRouteBuilder MapMonitorSocketRoutes(this IEndpointRouteBuilder routes)
    {
        // A WebSocket over HTTP/2 is a CONNECT request; OpenAPI cannot describe that method, so only GET is listed.
        routes.MapMethods(Path, [HttpMethods.Connect], HandleAsync).ExcludeFromDescription();
        routes.MapGet(Path, HandleAsync)
            .WithTags("Monitor")
            .WithSummary("WebSocket. First frame {\"type\":\"ready\"} once subscribed; then one frame per event " +
                         "{type, severity, subject, node, time, data, id} and per alert notification {type:\"alert\", id, key, kind, severity, time, event}. " +
                         "Optional ?types=pool.*,capacity.* (wildcard patterns on the event type) and ?nodes=nas-01,nas-02 (events of those nodes only). A client that does not keep up is closed with 1008.");
        return routes;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, ActorSystem system, MonitorSocketOptions settings, MonitorSocketSessions sessions, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a WebSocket handshake",
                detail: $"{Path} speaks WebSocket only: connect with a WebSocket client (GET with 'Upgrade: websocket').");
        if (!OriginAllowed(context.Request, settings.AllowedOrigins))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed",
                detail: $"Origin '{context.Request.Headers.Origin}' is neither this host nor listed in DPlaneOS:WebSocket:AllowedOrigins.");
        var filterError = EventTypePattern.TryParse(context.Request.Query["types"], MaxTypePatterns, out var types);
        if (filterError is not null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["types"] = [filterError] },
                detail: "?types= takes comma-separated event type patterns such as pool.*,capacity.*");
        var nodesError = MonitorSocketFilter.TryParseNodes(context.Request.Query["nodes"], out var nodes);
        if (nodesError is not null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["nodes"] = [nodesError] },
                detail: "?nodes= takes comma-separated node names such as nas-01,nas-02");
        var filter = new MonitorSocketFilter(types, nodes);

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveTimeout,
        });
        var outbox = new SocketOutbox(settings.SendQueueSize);
        var mediator = LocalBus.Get(system).Mediator;
        var session = system.ActorOf(MonitorSocketSession.Props(mediator, filter, outbox), $"ws-monitor-{Interlocked.Increment(ref _connections)}");
        sessions.Started();
        try
        {
            await MonitorSocketConnection.RunAsync(socket, outbox, settings, sessions, lifetime.ApplicationStopping);
        }
        finally
        {
            system.Stop(session);
            sessions.Ended();
        }
        return Results.Empty;
    }

    private static bool OriginAllowed(HttpRequest request, IReadOnlyList<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true; // not a browser: no ambient credentials to hijack
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        var authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        return string.Equals(authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            || allowed.Any(a => string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }
}
