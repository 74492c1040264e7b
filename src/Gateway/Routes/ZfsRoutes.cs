using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Gateway.Routes;

/// <summary>
/// Routes over the ZFS read models held by <see cref="ZfsHealthActor"/> and <see cref="CapacityGuardian"/>.
/// Each read asks an actor for its current immutable view; no read request starts a process.
/// </summary>
public static class ZfsRoutes
{
    public static IEndpointRouteBuilder MapZfsRoutes(this IEndpointRouteBuilder routes)
    {
        var zfs = routes.MapGroup("/api/zfs").WithTags("ZFS");
        MapView(zfs, "/health", v => v.Health,
            "Pools, state, vdev tree, per-disk SMART and risk with reasons, and when they were last read.");
        MapView(zfs, "/iostat", v => v.Iostat,
            "Per pool and vdev: space, operations and bandwidth (averages since import).");
        MapView(zfs, "/events", v => v.Events,
            "The newest ZFS events. Read-only: never clears the kernel's event log. supported=false on zfs-fuse.");
        zfs.MapCachedActorView<CapacityGuardian, CapacityReport>("/capacity", CapacityGuardian.Protocol.GetReport.Instance)
            .WithSummary("Per pool: size, used, free, used percent, level (ok / warning / critical / emergency, with hysteresis) and emergency reserve (none / reserved bytes / released).");
        MapReserveOperation(zfs, "/capacity/reserve", pool => new CapacityGuardian.Protocol.Reserve(pool))
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithSummary("Creates the emergency reserve <pool>/dplane-reserved (canmount=off) with refreservation = ReservePercent of the pool's usable space. 409 if one is held.");
        MapReserveOperation(zfs, "/capacity/release", pool => new CapacityGuardian.Protocol.Release(pool))
            .WithSummary("Releases the pool's emergency reserve: refreservation=none, the dataset stays. 409 if none is held.");
        return routes;
    }

    private static void MapView<TReport>(RouteGroupBuilder group, string path, Func<ZfsHealthView, TReport> select, string summary)
        where TReport : class =>
        group.MapGet(path, async (IRequiredActor<ZfsHealthActor> health, SerializedViews cache, CancellationToken ct) =>
                cache.Json(await ViewAsync(health, ct), select))
            .Produces<TReport>()
            .WithSummary(summary);

    private static RouteHandlerBuilder MapReserveOperation(RouteGroupBuilder group, string pattern, Func<string, CapacityGuardian.Protocol.IRequest> command) =>
        group.MapPost(pattern, (HttpRequest request, IRequiredActor<CapacityGuardian> capacity, DPlaneOSOptions options, IOptions<JsonOptions> json, CancellationToken ct) =>
                ReserveOperationAsync(request, command, capacity, options, json.Value, ct))
            .Accepts<PoolRequest>("application/json")
            .Produces<ReserveOutcome>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>The body of the reserve and release routes.</summary>
    public sealed record PoolRequest(string? Pool);

    private static async Task<IResult> ReserveOperationAsync(
        HttpRequest request, Func<string, CapacityGuardian.Protocol.IRequest> command, IRequiredActor<CapacityGuardian> capacity,
        DPlaneOSOptions options, JsonOptions json, CancellationToken ct)
    {
        PoolRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<PoolRequest>(json.SerializerOptions, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"expected a JSON object {{\"pool\": \"<name>\"}}: {ex.Message}"] });
        }
        if (NameRules.PoolNameError(body?.Pool) is { } invalid)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["pool"] = [invalid] });

        // Up to five zfs/zpool calls, each with the command deadline, and maybe one operation queued before.
        var timeout = options.Zfs.CommandTimeout * 10 + ActorQuery.Timeout;
        var outcome = await ActorQuery.AskAsync<CapacityGuardian, ReserveOutcome>(capacity, command(body!.Pool!), ct, timeout);
        return outcome.Kind switch
        {
            ReserveOutcomeKind.Done => Results.Ok(outcome),
            ReserveOutcomeKind.InvalidName => Results.ValidationProblem(new Dictionary<string, string[]> { ["pool"] = [outcome.Message] }),
            ReserveOutcomeKind.PoolNotFound => Results.Problem(outcome.Message, statusCode: StatusCodes.Status404NotFound, title: "No such pool"),
            ReserveOutcomeKind.AlreadyReserved => Results.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Already reserved"),
            ReserveOutcomeKind.NotReserved => Results.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "No reserve to release"),
            ReserveOutcomeKind.OutOfSpace => Results.Problem(outcome.Message, statusCode: StatusCodes.Status507InsufficientStorage, title: "Not enough space for the reserve"),
            _ => Results.Problem(outcome.Message, statusCode: StatusCodes.Status500InternalServerError, title: "ZFS command failed"),
        };
    }

    private static async Task<ZfsHealthView> ViewAsync(IRequiredActor<ZfsHealthActor> health, CancellationToken ct) =>
        await ActorQuery.AskAsync<ZfsHealthActor, ZfsHealthView>(health, ZfsHealthActor.Protocol.GetView.Instance, ct);
}
