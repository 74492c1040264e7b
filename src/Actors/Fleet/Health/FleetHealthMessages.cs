using DPlaneOS.Actors.Fleet.Summary;
using DPlaneOS.Actors.Fleet.Wire;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Fleet.Health;

/// <summary>Asks a node's <see cref="FleetHealthResponder"/> for its full health report.</summary>
[FleetMessage("fleet.health-request.v1")]
public sealed record FleetHealthRequest : IFleetMessage
{
    public static readonly FleetHealthRequest Instance = new();
}

/// <summary>A node's summary and the full health report it was taken from.</summary>
[FleetMessage("fleet.health-report.v1")]
public sealed record FleetHealthResponse(NodeSummary Summary, HealthReport Health) : IFleetMessage;
