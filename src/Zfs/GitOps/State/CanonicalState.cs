using System.Security.Cryptography;
using System.Text.Json;
using DPlaneOS.Zfs.GitOps.Live;

namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// Canonical JSON of the plan inputs. Desired lists keep file order (it decides plan order);
/// live lists and every dictionary are sorted, because probe output order carries no meaning.
/// </summary>
internal static class CanonicalState
{
    public static string Hash(DesiredState desired, LiveState live)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("desired");
            WriteDesired(w, desired);
            w.WritePropertyName("live");
            WriteLive(w, live);
            w.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void WriteDesired(Utf8JsonWriter w, DesiredState d)
    {
        w.WriteStartObject();
        w.WriteNumber("version", d.Version);
        w.WriteBoolean("prune_pools", d.PrunePools);
        w.WriteBoolean("prune_shares", d.PruneShares);
        Objects(w, "pools", d.Pools, p =>
        {
            w.WriteString("name", p.Name);
            w.WriteString("vdev_type", p.VdevType.Name());
            Strings(w, "disks", p.Disks);
            Nullable(w, "ashift", p.Ashift);
            Dictionary(w, "properties", p.Properties);
            w.WriteBoolean("prune", p.Prune);
        });
        Objects(w, "datasets", d.Datasets, ds =>
        {
            w.WriteString("name", ds.Name);
            Nullable(w, "quota", ds.QuotaBytes);
            w.WriteString("compression", ds.Compression);
            w.WriteString("atime", ds.Atime is { } a ? ZfsValues.OnOff(a) : null);
            w.WriteString("mountpoint", ds.Mountpoint);
            Nullable(w, "recordsize", ds.RecordsizeBytes);
            w.WriteString("encryption", ds.Encryption);
            w.WriteString("key_format", ds.KeyFormat);
            w.WriteString("key_location", ds.KeyLocation);
            w.WriteString("casesensitivity", ds.CaseSensitivity);
        });
        Objects(w, "shares", d.Shares, s => Share(w, s.Name, s.Path, s.ReadOnly, s.ValidUsers, s.Comment, s.GuestOk));
        w.WriteEndObject();
    }

    private static void WriteLive(Utf8JsonWriter w, LiveState l)
    {
        w.WriteStartObject();
        Objects(w, "pools", l.Pools.OrderBy(p => p.Name, StringComparer.Ordinal), p =>
        {
            w.WriteString("name", p.Name);
            w.WriteString("vdev_type", p.VdevType?.Name());
            Strings(w, "disks", p.Disks.Order(StringComparer.Ordinal));
            Nullable(w, "ashift", p.Ashift);
            Dictionary(w, "properties", p.Properties);
        });
        Objects(w, "datasets", l.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal), ds =>
        {
            w.WriteString("name", ds.Name);
            Nullable(w, "used", ds.UsedBytes);
            Dictionary(w, "properties", ds.Properties);
        });
        Objects(w, "shares", l.Shares.OrderBy(s => s.Name, StringComparer.Ordinal),
            s => Share(w, s.Name, s.Path, s.ReadOnly, s.ValidUsers, s.Comment, s.GuestOk));
        Strings(w, "active_shares", l.ActiveShareNames.Select(n => n.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));
        w.WriteStartArray("probe_failures");
        foreach (var f in l.ProbeFailures.Select(f => f.ToString() + "|" + f.Kind + "|" + f.Impact).Order(StringComparer.Ordinal))
            w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>An array of one object per item, its fields written by <paramref name="fields"/>.</summary>
    private static void Objects<T>(Utf8JsonWriter w, string name, IEnumerable<T> items, Action<T> fields)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStartObject();
            fields(item);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Share(Utf8JsonWriter w, string name, string path, bool readOnly, IEnumerable<string> users, string comment, bool guestOk)
    {
        w.WriteString("name", name);
        w.WriteString("path", path);
        w.WriteBoolean("read_only", readOnly);
        Strings(w, "valid_users", users);
        w.WriteString("comment", comment);
        w.WriteBoolean("guest_ok", guestOk);
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Dictionary(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> values)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
        w.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
