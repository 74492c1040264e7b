using DPlaneOS.Actors.Fleet.Summary;

namespace DPlaneOS.Gateway.Routes;

/// <summary>Every node of the fleet, answered from this node's view (<see cref="IFleetView"/>); on a single node, itself.</summary>
public static class FleetRoutes
{
    public sealed record FleetNodes(IReadOnlyList<FleetNode> Nodes);

    public static IEndpointRouteBuilder MapFleetRoutes(this IEndpointRouteBuilder routes)
    {
        var fleet = routes.MapGroup("/api/fleet").WithTags("Fleet");
        fleet.MapGet("/nodes", async (IFleetView view, CancellationToken ct) => Results.Ok(new FleetNodes(await view.NodesAsync(ct))))
            .Produces<FleetNodes>()
            .WithSummary("Every node: name, status (up, unreachable, down, left), lastSeen and its summary (address, version, started, " +
                         "pools with state, capacity percent and level, worst disk risk, heartbeat health; active alert count; when taken).");
        fleet.MapGet("/nodes/{name}", NodeAsync)
            .Produces<FleetNodeHealth>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("One node with its full health report fetched from it; 503 naming the node, with its last summary, when it cannot answer.");
        return routes;
    }

    private static async Task<IResult> NodeAsync(string name, IFleetView view, CancellationToken ct)
    {
        var found = await view.NodeAsync(name, ct);
        if (found is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such node",
                detail: $"No node named '{name}' is known to this node; GET /api/fleet/nodes lists them.");
        if (found.Health is null)
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Node cannot answer",
                detail: $"Node '{name}' did not answer: {found.Error}",
                extensions: new Dictionary<string, object?> { ["node"] = found.Node });
        return Results.Ok(found);
    }
}
