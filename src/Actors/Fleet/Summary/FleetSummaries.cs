using Akka.DistributedData;

namespace DPlaneOS.Actors.Fleet.Summary;

/// <summary>
/// The replicated data of the fleet. DData's own envelopes go through Akka's DData serializer; the values inside
/// are <see cref="Wire.IFleetMessage"/>s (<see cref="NodeSummary"/>), written by the fleet wire serializer.
/// </summary>
public static class FleetSummaries
{
    /// <summary>Every node's last summary by node name; each node writes only its own key.</summary>
    public static readonly LWWDictionaryKey<string, NodeSummary> Key = new("fleet-summaries");
}
