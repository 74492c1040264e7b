using DPlaneOS.Actors.Manifests;

namespace DPlaneOS.Actors.Fleet.Wire;

/// <summary>JSON by stable name for every <see cref="IFleetMessage"/>: the one serializer of what crosses nodes.</summary>
public sealed class FleetWireSerializer(ExtendedActorSystem system) : ManifestJsonSerializer(system, Table)
{
    public const int SerializerId = 4712;

    internal static readonly ManifestTable Table = ManifestTable.Scan<IFleetMessage, FleetMessageAttribute>(a => a.Manifest, "fleet message");

    public override int Identifier => SerializerId;

    /// <summary>The HOCON that binds it, for the fleet plane's actor system (the safety plane never serializes messages).</summary>
    public const string Hocon = """
        akka.actor {
          serializers.dplaneos-fleet = "DPlaneOS.Actors.Fleet.Wire.FleetWireSerializer, DPlaneOS.Actors"
          serialization-bindings {
            "DPlaneOS.Actors.Fleet.Wire.IFleetMessage, DPlaneOS.Actors" = dplaneos-fleet
          }
          serialization-identifiers {
            "DPlaneOS.Actors.Fleet.Wire.FleetWireSerializer, DPlaneOS.Actors" = 4712
          }
        }
        """;
}
