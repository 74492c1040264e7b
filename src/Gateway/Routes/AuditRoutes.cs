using System.Globalization;
using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Gateway.Routes;

/// <summary>The audit chain: verification and paging, both read from the database.</summary>
public static class AuditRoutes
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public sealed record AuditPage(long Total, int Offset, int Limit, IReadOnlyList<AuditRecord> Records);

    public static IEndpointRouteBuilder MapAuditRoutes(this IEndpointRouteBuilder routes)
    {
        var audit = routes.MapGroup("/api/system/audit").WithTags("Audit");
        audit.MapGet("/verify-chain", VerifyAsync)
            .Produces<AuditVerification>()
            .WithSummary("Reads every audit record from the database and checks sequence, links and HMACs; names the first broken sequence.");
        audit.MapGet("", PageAsync)
            .Produces<AuditPage>()
            .ProducesValidationProblem()
            .WithSummary("Audit records newest first: offset (default 0) skips the newest ones, limit (default 100, at most 500).");
        return routes;
    }

    private static async Task<IResult> VerifyAsync(ActorSystem system, NodeIdentity node, IRequiredActor<AuditLog> audit, DataDirectory dataDir, CancellationToken ct)
    {
        var head = await WriterHeadAsync(audit, ct);
        return Results.Ok(await AuditSetup.VerifyChainAsync(system, node, AuditSetup.KeyPath(dataDir), head?.Last, ct));
    }

    private static async Task<IResult> PageAsync(string? offset, string? limit, ActorSystem system, NodeIdentity node, IRequiredActor<AuditLog> audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var skip = Parse(offset, "offset", 0, 0, int.MaxValue, errors);
        var take = Parse(limit, "limit", DefaultLimit, 1, MaxLimit, errors);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid paging parameters");

        var head = await WriterHeadAsync(audit, ct);
        if (head is null)
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit log unavailable",
                detail: "The audit writer did not answer; it may be restarting after a database failure.");
        var newest = head.Last.Sequence - skip;
        var records = await AuditSetup.Reader(system, node).ReadAsync(Math.Max(1, newest - take + 1), newest, ct);
        return Results.Ok(new AuditPage(head.Last.Sequence, skip, take, records.Reverse().ToList()));
    }

    private static int Parse(string? text, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors[name] = [$"'{text}' is not a whole number from {min} to {max}."];
        return fallback;
    }

    private static async Task<AuditLog.Protocol.Head?> WriterHeadAsync(IRequiredActor<AuditLog> audit, CancellationToken ct)
    {
        try
        {
            return await audit.ActorRef.Ask<AuditLog.Protocol.Head>(AuditLog.Protocol.GetHead.Instance, ActorQuery.Timeout, ct);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
