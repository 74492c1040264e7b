using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Serialization;

namespace DPlaneOS.Actors.Manifests;

/// <summary>
/// System.Text.Json keyed by a stable name per type (<see cref="ManifestTable"/>): no CLR type name is
/// written or trusted on read, and the JSON stays readable for an admin or a subscriber in another language.
/// </summary>
public abstract class ManifestJsonSerializer(ExtendedActorSystem system, ManifestTable table) : SerializerWithStringManifest(system)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public override string Manifest(object o) => table.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        table.TypeOf(manifest) is { } type
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"'{manifest}' deserialized to null")
            : throw new SerializationException($"Unknown {table.Family} manifest '{manifest}'");
}
