using System.Collections.Frozen;
using System.Reflection;

namespace DPlaneOS.Actors.Manifests;

/// <summary>
/// The stable names of a family of types (journal records, fleet messages): every non-abstract type
/// implementing the family's marker interface, named by its attribute. A type without a name or a
/// name used twice is a startup error, never a silent mix-up.
/// </summary>
public sealed class ManifestTable
{
    private readonly FrozenDictionary<string, Type> _types;
    private readonly FrozenDictionary<Type, string> _manifests;

    private ManifestTable(IReadOnlyList<(string Manifest, Type Type)> entries, string family)
    {
        Entries = entries;
        Family = family;
        _types = entries.ToFrozenDictionary(e => e.Manifest, e => e.Type);
        _manifests = entries.ToFrozenDictionary(e => e.Type, e => e.Manifest);
    }

    /// <summary>What the names are for, in error messages ("journal", "fleet message").</summary>
    public string Family { get; }

    public IReadOnlyList<(string Manifest, Type Type)> Entries { get; }

    public static ManifestTable Scan<TMarker, TAttribute>(Func<TAttribute, string> manifestOf, string family)
        where TAttribute : Attribute
    {
        var found = typeof(TMarker).Assembly.GetTypes()
            .Where(t => typeof(TMarker).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (Manifest: t.GetCustomAttribute<TAttribute>() is { } named ? manifestOf(named)
                : throw new InvalidOperationException($"{t} implements {typeof(TMarker).Name} without [{typeof(TAttribute).Name}]"), Type: t))
            .ToList();
        var duplicate = found.GroupBy(p => p.Manifest).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"{family} name '{duplicate.Key}' is used by {string.Join(", ", duplicate.Select(p => p.Type))}");
        return new ManifestTable(found, family);
    }

    public string ManifestOf(Type type) =>
        _manifests.TryGetValue(type, out var manifest)
            ? manifest
            : throw new ArgumentException($"{type} has no {Family} name");

    public Type? TypeOf(string manifest) => _types.GetValueOrDefault(manifest);
}
