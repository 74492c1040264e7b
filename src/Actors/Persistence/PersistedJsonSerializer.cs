using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Serialization;

namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// System.Text.Json for every <see cref="IPersistedEvent"/>, keyed by its <see cref="PersistedAsAttribute"/>
/// manifest. Readable JSON in the database also lets an admin (and the audit tests) inspect records.
/// </summary>
public sealed class PersistedJsonSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4711;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly FrozenDictionary<string, Type> TypesByManifest = Scan().ToFrozenDictionary(p => p.Manifest, p => p.Type);
    private static readonly FrozenDictionary<Type, string> ManifestsByType = Scan().ToFrozenDictionary(p => p.Type, p => p.Manifest);

    public PersistedJsonSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} implements IPersistedEvent but has no [PersistedAs] name");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        TypesByManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new global::System.Runtime.Serialization.SerializationException($"'{manifest}' deserialized to null")
            : throw new global::System.Runtime.Serialization.SerializationException($"Unknown journal manifest '{manifest}'");

    /// <summary>Every persisted type with its name; duplicates are a startup error, not silent data mix-ups.</summary>
    internal static IReadOnlyList<(string Manifest, Type Type)> Scan()
    {
        var found = typeof(IPersistedEvent).Assembly.GetTypes()
            .Where(t => typeof(IPersistedEvent).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (Manifest: t.GetCustomAttribute<PersistedAsAttribute>()?.Manifest
                ?? throw new InvalidOperationException($"{t} implements IPersistedEvent without [PersistedAs]"), Type: t))
            .ToList();
        var duplicate = found.GroupBy(p => p.Manifest).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Journal name '{duplicate.Key}' is used by {string.Join(", ", duplicate.Select(p => p.Type))}");
        return found;
    }
}
