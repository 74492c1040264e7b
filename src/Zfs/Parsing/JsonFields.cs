using System.Globalization;
using System.Text.Json;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Typed reads of optional JSON keys. An absent key or JSON <c>null</c> is "not reported"
/// (tools drop keys between versions); a present key of the wrong kind is a shape error,
/// because guessing would turn garbage into plausible numbers.
/// </summary>
internal static class JsonFields
{
    /// <summary>The value of <paramref name="name"/> when <paramref name="obj"/> is an object that has it and it is not null.</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static JsonElement? Object(JsonElement obj, string name) => Expect(obj, name, JsonValueKind.Object, "an object");

    public static JsonElement? Array(JsonElement obj, string name) => Expect(obj, name, JsonValueKind.Array, "an array");

    public static string? String(JsonElement obj, string name) => Expect(obj, name, JsonValueKind.String, "a string")?.GetString();

    public static bool? Bool(JsonElement obj, string name) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw new JsonShapeException($"'{name}' should be true or false"),
    };

    /// <summary>
    /// An integer. Integers beyond 64 bits (NVMe keeps 128-bit counters) saturate at
    /// <see cref="long.MaxValue"/> rather than failing: "enormous" is the truth for risk purposes.
    /// </summary>
    public static long? Long(JsonElement obj, string name)
    {
        if (Expect(obj, name, JsonValueKind.Number, "a number") is not { } value) return null;
        if (value.TryGetInt64(out var number)) return number;
        var raw = value.GetRawText();
        if (raw.All(char.IsAsciiDigit)) return long.MaxValue;
        if (raw.StartsWith('-') && raw.Skip(1).All(char.IsAsciiDigit)) return long.MinValue;
        throw new JsonShapeException($"'{name}' should be an integer, got {Excerpt(raw)}");
    }

    public static int? Int(JsonElement obj, string name)
    {
        if (Long(obj, name) is not { } number) return null;
        if (number is < int.MinValue or > int.MaxValue) throw new JsonShapeException($"'{name}' is out of range: {number.ToString(CultureInfo.InvariantCulture)}");
        return (int)number;
    }

    /// <summary>Like <see cref="String"/>, but also accepts a number (Samba prints some ids either way).</summary>
    public static string? StringOrNumber(JsonElement obj, string name) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => throw new JsonShapeException($"'{name}' should be a string or a number"),
    };

    private static JsonElement? Expect(JsonElement obj, string name, JsonValueKind kind, string what)
    {
        if (Get(obj, name) is not { } value) return null;
        return value.ValueKind == kind ? value : throw new JsonShapeException($"'{name}' should be {what}, got {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static string Excerpt(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>True for the exceptions that mean "this input is not what we expect", never a bug in us.</summary>
    public static bool IsBadInput(Exception ex) =>
        ex is JsonException or JsonShapeException or ArgumentException or InvalidOperationException or FormatException;
}
