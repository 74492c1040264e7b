namespace DPlaneOS.Gateway.Alerts;

/// <summary>
/// Typed, strict reads of a JSON request body, collecting field errors instead of throwing, so one
/// answer lists everything wrong. Unknown fields are errors (a typo must not be silently ignored);
/// fields a read returns (ids, status) may be sent back and are ignored.
/// </summary>
public sealed class RequestFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _errors = [];

    public RequestFields(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            Error("body", "must be a JSON object");
            return;
        }
        foreach (var property in body.EnumerateObject()) _fields[property.Name] = property.Value;
    }

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    public void Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public bool Has(string name) => _fields.ContainsKey(name);

    /// <summary>The raw value of a field, for a nested object read with its own <see cref="RequestFields"/>; undefined when absent.</summary>
    public JsonElement Element(string name) => _fields.TryGetValue(name, out var value) ? value : default;

    /// <summary>Every field must be one of <paramref name="known"/> or <paramref name="readOnly"/>.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known, IReadOnlyCollection<string> readOnly)
    {
        foreach (var name in _fields.Keys)
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase) && !readOnly.Contains(name, StringComparer.OrdinalIgnoreCase))
                Error(name, $"unknown field; known fields are {string.Join(", ", known)}");
    }

    /// <summary>A string, or null when absent or JSON null.</summary>
    public string? String(string name)
    {
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Error(name, "must be a string");
        return null;
    }

    public string? RequiredString(string name)
    {
        var value = String(name);
        if (string.IsNullOrWhiteSpace(value) && !_errors.ContainsKey(name)) Error(name, "is required");
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public bool? Bool(string name)
    {
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Error(name, "must be true or false");
        return null;
    }

    public int? Int(string name)
    {
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        Error(name, "must be an integer");
        return null;
    }

    public IReadOnlyList<string>? StringArray(string name)
    {
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            Error(name, "must be an array of strings");
            return null;
        }
        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public IReadOnlyList<KeyValuePair<string, string>>? StringMap(string name)
    {
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            Error(name, "must be an object whose values are strings");
            return null;
        }
        return value.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)).ToList();
    }

    /// <summary>A write-only field: see <see cref="SecretInput.FromRequest"/>.</summary>
    public SecretInput Secret(string name)
    {
        if (!_fields.TryGetValue(name, out var value)) return SecretInput.Keep;
        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            Error(name, "must be a string (or null to remove it)");
            return SecretInput.Keep;
        }
        return SecretInput.FromRequest(true, value.GetString());
    }

    /// <summary>True when <paramref name="text"/> holds a control character (CR/LF injects headers).</summary>
    public static bool HasControlCharacters(string text) => text.Any(char.IsControl);
}
