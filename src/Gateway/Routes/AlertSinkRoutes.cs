using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.Gateway.Alerts;
using DPlaneOS.Gateway.Auth;

namespace DPlaneOS.Gateway.Routes;

/// <summary>
/// Webhook registry and SMTP settings. Bodies are read as JSON and checked field by field
/// (<see cref="WebhookRequest"/>, <see cref="SmtpSettingsRequest"/>): bad input is a 400
/// problem with errors by field and changes nothing. Secrets are write-only and stay with the
/// receiver they were given for (<see cref="WebhookUpdate"/>, <see cref="SmtpSettings.SameServer"/>).
/// </summary>
public static class AlertSinkRoutes
{
    public static IEndpointRouteBuilder MapAlertSinkRoutes(this IEndpointRouteBuilder routes)
    {
        var alerts = routes.MapGroup("/api/alerts").WithTags("Alerts");
        MapWebhooks(alerts);
        MapSmtp(alerts);
        return routes;
    }

    private static void MapWebhooks(RouteGroupBuilder alerts)
    {
        alerts.MapActorView<WebhooksActor, WebhookList>("/webhooks", WebhooksActor.Protocol.List.Instance)
            .WithSummary("Every webhook with its delivery state (pending, last success, last failure); secrets never, hasSecret instead.");

        alerts.MapGet("/webhooks/{id:int}", async (int id, IRequiredActor<WebhooksActor> webhooks, CancellationToken ct) =>
                ToResult(await webhooks.ActorRef.Ask<SinkReply>(new WebhooksActor.Protocol.Get(id), ActorQuery.Timeout, ct)))
            .Produces<WebhookView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One webhook.");

        alerts.MapPost("/webhooks", async (HttpRequest request, IRequiredActor<WebhooksActor> webhooks, DPlaneOSOptions options, CancellationToken ct) =>
            {
                var (parsed, problem) = await ReadWebhookAsync(request, options, ct);
                if (parsed is null) return problem!;
                var reply = await webhooks.ActorRef.Ask<SinkReply>(new WebhooksActor.Protocol.Create(parsed), ActorQuery.Timeout, ct);
                return reply is SinkReply.Ok<WebhookView> created
                    ? Results.Created($"/api/alerts/webhooks/{created.View.Id}", created.View)
                    : ToResult(reply);
            })
            .Produces<WebhookView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a webhook: {name, url, events: [\"pool.*\"], minimumSeverity: info|warning|critical, enabled, headers: {}, secret}.");

        alerts.MapPut("/webhooks/{id:int}", async (int id, HttpRequest request, IRequiredActor<WebhooksActor> webhooks, DPlaneOSOptions options, CancellationToken ct) =>
            {
                var (parsed, problem) = await ReadWebhookAsync(request, options, ct);
                if (parsed is null) return problem!;
                return ToResult(await webhooks.ActorRef.Ask<SinkReply>(new WebhooksActor.Protocol.Replace(id, parsed), ActorQuery.Timeout, ct));
            })
            .Produces<WebhookView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replaces a webhook. An absent or masked (\"********\") secret or header value keeps the stored one while the URL's " +
                "scheme, host and port stay the same; another origin drops it unless set again. Secret null or \"\" removes it.");

        alerts.MapDelete("/webhooks/{id:int}", async (int id, IRequiredActor<WebhooksActor> webhooks, CancellationToken ct) =>
                ToResult(await webhooks.ActorRef.Ask<SinkReply>(new WebhooksActor.Protocol.Delete(id), ActorQuery.Timeout, ct)))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Deletes a webhook and drops its pending deliveries.");

        alerts.MapPost("/webhooks/{id:int}/test", async (int id, IRequiredActor<WebhooksActor> webhooks, DPlaneOSOptions options, CancellationToken ct) =>
                ToResult(await webhooks.ActorRef.Ask<SinkReply>(new WebhooksActor.Protocol.Test(id),
                    options.AlertDelivery.Webhooks.AttemptTimeout + ActorQuery.Timeout, ct)))
            .RequireTokenRole(TokenRole.Operator)
            .Produces<TestDelivery>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delivers a signed webhook.test notification now, once: {delivered, status, latencyMs, error}.");
    }

    private static void MapSmtp(RouteGroupBuilder alerts)
    {
        alerts.MapActorView<SmtpNotifierActor, SmtpSettingsView>("/smtp", SmtpNotifierActor.Protocol.GetSettings.Instance)
            .WithSummary("The SMTP settings and delivery state; the password only as \"********\" (hasPassword).");

        alerts.MapPut("/smtp", async (HttpRequest request, IRequiredActor<SmtpNotifierActor> smtp, CancellationToken ct) =>
            {
                var (parsed, problem) = await JsonBody.ReadAsync(request, body => (SmtpSettingsRequest.Parse(body, out var errors), errors), ct);
                if (parsed is null) return problem!;
                return ToResult(await smtp.ActorRef.Ask<SinkReply>(new SmtpNotifierActor.Protocol.Update(parsed), ActorQuery.Timeout, ct));
            })
            .Produces<SmtpSettingsView>()
            .ProducesValidationProblem()
            .WithSummary("Sets {host, port, security: none|starttls|ssl, username, password, from, recipients, minimumSeverity, enabled, " +
                "trustedCertificateThumbprint, skipCertificateVerification}. An absent or masked password keeps the stored one while host, port " +
                "and security stay the same. A username needs starttls or ssl: AUTH over none would send the password in the clear (400).");

        alerts.MapPost("/smtp/test", async (IRequiredActor<SmtpNotifierActor> smtp, DPlaneOSOptions options, CancellationToken ct) =>
                ToResult(await smtp.ActorRef.Ask<SinkReply>(SmtpNotifierActor.Protocol.Test.Instance, options.AlertDelivery.Smtp.Timeout + ActorQuery.Timeout, ct)))
            .RequireTokenRole(TokenRole.Operator)
            .Produces<TestDelivery>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Sends a test e-mail now, once, with the stored settings: {delivered, status, latencyMs, error}.");
    }

    private static Task<(WebhookInput? Request, IResult? Problem)> ReadWebhookAsync(HttpRequest request, DPlaneOSOptions options, CancellationToken ct) =>
        JsonBody.ReadAsync(request, body => (WebhookRequest.Parse(body, options.AlertDelivery.Webhooks.AllowLinkLocalTargets, out var errors), errors), ct);

    private static IResult ToResult(SinkReply reply) => reply switch
    {
        SinkReply.Ok<WebhookView> ok => Results.Ok(ok.View),
        SinkReply.Ok<SmtpSettingsView> ok => Results.Ok(ok.View),
        SinkReply.Ok<TestDelivery> ok => Results.Ok(ok.View),
        SinkReply.Deleted => Results.NoContent(),
        SinkReply.NotFound notFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: notFound.Detail),
        SinkReply.Conflict conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: conflict.Detail),
        SinkReply.Invalid invalid => Results.ValidationProblem(invalid.Errors),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
