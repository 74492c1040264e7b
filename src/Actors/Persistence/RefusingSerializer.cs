using Akka.Configuration;
using Akka.Serialization;

namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// Stands where Akka's Newtonsoft JSON serializer would (the name <c>json</c>, id 1 and the
/// <c>System.Object</c> binding), so nothing falls back to Newtonsoft with type names: with no
/// remoting, messages are never serialized, and journal records and snapshots are
/// <see cref="IPersistedEvent"/>s (<see cref="PersistedJsonSerializer"/>). Writing anything else
/// throws. Reading looks at nothing: a stored row of id 1 becomes a <see cref="ForeignPayload"/>,
/// which <see cref="CheckedSqlJournal"/> and <see cref="CheckedSqlSnapshotStore"/> refuse by name.
/// </summary>
public sealed class RefusingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka's id of Newtonsoft JSON: rows an Akka system with stock settings wrote carry it.</summary>
    public const int NewtonsoftId = 1;

    /// <summary>Akka passes the <c>serialization-settings.json</c> block (Newtonsoft's options) to a serializer named <c>json</c>; unused.</summary>
    public RefusingSerializer(ExtendedActorSystem system, Config settings) : this(system)
    {
    }

    public override int Identifier => NewtonsoftId;

    public override string Manifest(object o) => throw Refused(o);

    public override byte[] ToBinary(object obj) => throw Refused(obj);

    public override object FromBinary(byte[] bytes, string manifest) => new ForeignPayload(NewtonsoftId, manifest);

    private static NotSupportedException Refused(object o) =>
        new($"{o.GetType()} has no serializer: messages stay inside the daemon, and only IPersistedEvent records with a [PersistedAs] name are stored");
}
