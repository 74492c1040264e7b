using System.Text.Json.Serialization;

namespace DPlaneOS.Gateway.Auth;

/// <summary>One API token as kept on disk: a name and the SHA-256 of the token, never the token.</summary>
public sealed record StoredToken(string Name, string Sha256, DateTimeOffset Created);

[JsonSerializable(typeof(List<StoredToken>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
