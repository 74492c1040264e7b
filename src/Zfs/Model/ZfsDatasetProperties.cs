using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Model;

/// <summary>
/// All properties <c>zfs get</c> printed for one dataset, snapshot, volume or bookmark.
/// <see cref="Type"/> is the <c>type</c> property when it was asked for; otherwise it is inferred
/// from the name (<c>@</c> snapshot, <c>#</c> bookmark) or <c>unknown</c>.
/// </summary>
public sealed record ZfsDatasetProperties(string Name, string Type, IReadOnlyDictionary<string, string> Properties)
{
    public bool IsSnapshot => Type == "snapshot" || Name.Contains('@');

    /// <summary>A size or count in bytes, or null when absent, <c>-</c>, <c>none</c> or not a size.</summary>
    public long? Bytes(string property) =>
        Properties.TryGetValue(property, out var value) && value is not ("-" or "none") && ByteSize.TryParse(value, out var bytes)
            ? bytes
            : null;

    /// <summary>Groups rows by dataset, keeping the order in which datasets first appear (zfs's own order).</summary>
    public static IReadOnlyList<ZfsDatasetProperties> Group(IEnumerable<ZfsPropertyRow> rows)
    {
        var order = new List<string>();
        var byName = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!byName.TryGetValue(row.Name, out var properties))
            {
                properties = new Dictionary<string, string>(StringComparer.Ordinal);
                byName[row.Name] = properties;
                order.Add(row.Name);
            }
            properties[row.Property] = row.Value;
        }
        return order.Select(name => new ZfsDatasetProperties(name, TypeOf(name, byName[name]), byName[name])).ToList();
    }

    private static string TypeOf(string name, Dictionary<string, string> properties) =>
        properties.TryGetValue("type", out var type) ? type
        : name.Contains('@') ? "snapshot"
        : name.Contains('#') ? "bookmark"
        : "unknown";
}
