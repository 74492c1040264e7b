using DPlaneOS.Zfs.Snapshots;

namespace DPlaneOS.Gateway.Routes;

public static class SnapshotRoutes
{
    /// <summary><c>GET /api/nixos/pre-upgrade-snapshots</c>: the pre-upgrade snapshots that exist now, read from ZFS.</summary>
    public static IEndpointRouteBuilder MapSnapshotRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/nixos/pre-upgrade-snapshots", async (PreUpgradeSnapshotter snapshots, CancellationToken ct) =>
            {
                var listed = await snapshots.ListAsync(ct);
                return listed.IsOk
                    ? Results.Ok(new PreUpgradeSnapshotList(listed.Value, listed.Value.Count))
                    : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "ZFS did not answer",
                        detail: $"The snapshots could not be listed: {listed.Error}");
            })
            .WithTags("NixOS")
            .Produces<PreUpgradeSnapshotList>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Recursive @pre-upgrade-<UTC time> snapshots per pool (newest first): created, space used, datasets covered.");
        return routes;
    }
}

public sealed record PreUpgradeSnapshotList(IReadOnlyList<PreUpgradeSnapshot> Snapshots, int Count);
