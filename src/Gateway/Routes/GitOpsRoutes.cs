using System.Text;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using Microsoft.Net.Http.Headers;
using static DPlaneOS.Actors.GitOps.GitOpsActor.Protocol;

namespace DPlaneOS.Gateway.Routes;

/// <summary>
/// /api/gitops: plan, approve, apply, check, status and the state file. Each request is one message
/// to <see cref="GitOpsActor"/>; the answers become JSON or <c>application/problem+json</c>.
/// </summary>
public static class GitOpsRoutes
{
    /// <summary>A plan reads the whole host; zfs-fuse with many datasets can take a while.</summary>
    private static readonly TimeSpan PlanTimeout = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] YamlTypes = ["text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml"];

    public sealed record ApproveRequest(string? PlanId, List<string>? ItemIds);

    public sealed record ApplyRequest(string? PlanId);

    public sealed record StateBody(string? Yaml);

    public sealed record StateView(string Path, bool Exists, string Content);

    public sealed record StateSavedView(string Path, int Bytes, string? Previous);

    public sealed record ApplyAcceptedView(string ApplyId, string PlanId, IReadOnlyList<GitOpsJournal.PlannedStep> Steps, string Status);

    public static IEndpointRouteBuilder MapGitOpsRoutes(this IEndpointRouteBuilder routes)
    {
        var gitops = routes.MapGroup("/api/gitops").WithTags("GitOps");

        gitops.MapGet("/plan", (IRequiredActor<GitOpsActor> actor, CancellationToken ct) => AskAsync(actor, GetPlan.Instance, PlanTimeout, ct))
            .Produces<PlanView>()
            .WithSummary("A fresh plan: state.yaml against the host. planId identifies exactly this plan for approve and apply.");

        gitops.MapPost("/approve", async (HttpRequest request, IRequiredActor<GitOpsActor> actor, CancellationToken ct) =>
            {
                var body = await ReadJsonAsync<ApproveRequest>(request, ct);
                if (body.Problem is not null) return body.Problem;
                if (string.IsNullOrWhiteSpace(body.Value?.PlanId) || body.Value.ItemIds is null)
                    return BadRequest("The body must be {\"planId\": \"…\", \"itemIds\": [\"dataset:tank/old\", …]}.");
                return await AskAsync(actor, new Approve(body.Value.PlanId, body.Value.ItemIds), PlanTimeout, ct);
            })
            .Produces<GitOpsActor.Protocol.Approved>()
            .WithSummary("Approves BLOCKED removals of datasets that hold data, for this plan's work only (expires after DPlaneOS:GitOps:ApprovalTtl).");

        gitops.MapPost("/apply", async (HttpRequest request, IRequiredActor<GitOpsActor> actor, CancellationToken ct) =>
            {
                var body = await ReadJsonAsync<ApplyRequest>(request, ct);
                if (body.Problem is not null) return body.Problem;
                if (string.IsNullOrWhiteSpace(body.Value?.PlanId)) return BadRequest("The body must be {\"planId\": \"…\"} (from GET /api/gitops/plan).");
                return await AskAsync(actor, new StartApply(body.Value.PlanId), PlanTimeout, ct);
            })
            .Produces<ApplyAcceptedView>(StatusCodes.Status202Accepted)
            .WithSummary("Starts applying the plan: pools, then datasets, then shares; progress in GET /api/gitops/status. 409 when the plan is stale or has unapproved BLOCKED items.");

        gitops.MapPost("/check", (IRequiredActor<GitOpsActor> actor, CancellationToken ct) => AskAsync(actor, CheckNow.Instance, PlanTimeout, ct))
            .Produces<CheckResult>()
            .WithSummary("Runs a drift check now.");

        gitops.MapGet("/status", (IRequiredActor<GitOpsActor> actor, CancellationToken ct) => AskAsync(actor, GetStatus.Instance, QuickTimeout, ct))
            .Produces<StatusView>()
            .WithSummary("The last drift check, the last or current apply (with each step), and live approvals.");

        gitops.MapGet("/state", (IRequiredActor<GitOpsActor> actor, CancellationToken ct) => AskAsync(actor, GetState.Instance, QuickTimeout, ct))
            .Produces<StateView>()
            .WithSummary("state.yaml as it is on disk; a commented starter (exists: false) when there is none.");

        gitops.MapPut("/state", async (HttpRequest request, IRequiredActor<GitOpsActor> actor, CancellationToken ct) =>
            {
                var yaml = await ReadStateBodyAsync(request, ct);
                if (yaml.Problem is not null) return yaml.Problem;
                return await AskAsync(actor, new PutState(yaml.Value!), PlanTimeout, ct);
            })
            .Accepts<string>("text/yaml", "application/yaml", "application/json")
            .Produces<StateSavedView>()
            .WithSummary("Replaces state.yaml (YAML body, or JSON {\"yaml\": \"…\"}). Validated first: 422 lists every error with line, column and path; nothing is written then.");

        return routes;
    }

    private static async Task<IResult> AskAsync(IRequiredActor<GitOpsActor> actor, object message, TimeSpan timeout, CancellationToken ct)
    {
        object reply;
        try
        {
            reply = await actor.ActorRef.Ask<object>(message, timeout, ct);
        }
        catch (AskTimeoutException)
        {
            return Results.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "GitOps did not answer in time",
                detail: $"No answer within {timeout.TotalSeconds:0} s; a host command may hang. Try again; GET /api/gitops/status shows progress.");
        }

        return reply switch
        {
            PlanReady ready => Results.Ok(ready.Plan),
            GitOpsActor.Protocol.Approved approved => Results.Ok(approved),
            ApplyAccepted accepted => Results.Accepted("/api/gitops/status",
                new ApplyAcceptedView(accepted.ApplyId, accepted.PlanId, accepted.Steps, "/api/gitops/status")),
            CheckResult check => Results.Ok(check),
            StatusView status => Results.Ok(status),
            StateFileContent content => Results.Ok(new StateView(content.Path, content.Exists, content.Text)),
            StateSaved saved => Results.Ok(new StateSavedView(saved.Written.Path, saved.Written.Bytes, saved.Written.PreviousPath)),
            StateNotUsable notUsable => NotUsable(notUsable),
            PlanStale stale => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The plan is stale",
                detail: $"Plan {stale.RequestedPlanId} no longer matches the host or state.yaml. Review the current plan (planId {stale.Current.PlanId}) and use its id.",
                extensions: new Dictionary<string, object?> { ["currentPlanId"] = stale.Current.PlanId, ["plan"] = stale.Current }),
            ApplyRefused refused => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The plan has BLOCKED items",
                detail: $"Nothing was applied. {refused.Blocked.Count} item(s) are BLOCKED: approve the ones that require approval " +
                        "(POST /api/gitops/approve), resolve the others on the host or in state.yaml, then plan again.",
                extensions: new Dictionary<string, object?> { ["planId"] = refused.PlanId, ["blocked"] = refused.Blocked }),
            ApplyAlreadyRunning running => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "An apply is already running",
                detail: $"Apply {running.ApplyId} is running; GET /api/gitops/status shows its progress.",
                extensions: new Dictionary<string, object?> { ["applyId"] = running.ApplyId }),
            ApprovalRejected rejected => Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Nothing was approved",
                detail: string.Join("; ", rejected.Problems),
                extensions: new Dictionary<string, object?> { ["planId"] = rejected.PlanId, ["problems"] = rejected.Problems }),
            StateRejected invalid => Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "state.yaml is not valid; nothing was written",
                detail: $"{invalid.Errors.Count} error(s): " + string.Join("; ", invalid.Errors.Take(5)),
                extensions: new Dictionary<string, object?> { ["errors"] = invalid.Errors }),
            StateFailed failed => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "state.yaml could not be read or written", detail: failed.Message),
            _ => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected answer", detail: reply.GetType().Name),
        };
    }

    private static IResult NotUsable(StateNotUsable problem) => problem.Problem switch
    {
        "missing" => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No state.yaml", detail: problem.Message,
            extensions: new Dictionary<string, object?> { ["statePath"] = problem.StatePath }),
        "invalid" => Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "state.yaml is not valid", detail: problem.Message,
            extensions: new Dictionary<string, object?> { ["statePath"] = problem.StatePath, ["errors"] = problem.Errors }),
        _ => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No plan could be computed", detail: problem.Message),
    };

    private static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request body", detail: detail);

    private sealed record Body<T>(T? Value, IResult? Problem);

    private static async Task<Body<T>> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return new Body<T>(default, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON expected",
                detail: "Send the body as application/json."));
        try
        {
            var json = request.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
            return new Body<T>(await JsonSerializer.DeserializeAsync<T>(request.Body, json.Value.SerializerOptions, ct), null);
        }
        catch (JsonException ex)
        {
            return new Body<T>(default, BadRequest($"The body is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>The YAML text from a YAML body or from JSON <c>{"yaml": "…"}</c>, at most the parser's size limit.</summary>
    private static async Task<Body<string>> ReadStateBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (mediaType == "application/json")
        {
            var json = await ReadJsonAsync<StateBody>(request, ct);
            if (json.Problem is not null) return new Body<string>(null, json.Problem);
            return json.Value?.Yaml is { } text
                ? new Body<string>(text, null)
                : new Body<string>(null, BadRequest("The JSON body must be {\"yaml\": \"<state.yaml text>\"}."));
        }

        if (mediaType is null || !YamlTypes.Contains(mediaType))
            return new Body<string>(null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "YAML expected",
                detail: $"Send state.yaml as {string.Join(" or ", YamlTypes[..2])} (or application/json {{\"yaml\": \"…\"}}); got '{request.ContentType}'."));

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[StateFileParser.MaxBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        if (read > StateFileParser.MaxBytes)
            return new Body<string>(null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "state.yaml too large",
                detail: $"state.yaml may be at most {StateFileParser.MaxBytes} characters."));
        return new Body<string>(new string(buffer, 0, read), null);
    }
}
