using DPlaneOS.Actors.Manifests;

namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// System.Text.Json for every <see cref="IPersistedEvent"/>, keyed by its <see cref="PersistedAsAttribute"/>
/// manifest. Readable JSON in the database also lets an admin (and the audit tests) inspect records.
/// </summary>
public sealed class PersistedJsonSerializer(ExtendedActorSystem system) : ManifestJsonSerializer(system, Table)
{
    public const int SerializerId = 4711;

    internal static readonly ManifestTable Table = ManifestTable.Scan<IPersistedEvent, PersistedAsAttribute>(a => a.Manifest, "journal");

    public override int Identifier => SerializerId;
}
