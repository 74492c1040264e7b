using System.Text.Json.Serialization;

namespace DPlaneOS.Gateway.Auth;

/// <summary>One API token as kept on disk: a name and the SHA-256 of the token, never the token.</summary>
/// <param name="Role">Null in files written before roles existed: those tokens were all admin tokens.</param>
/// <param name="Expires">After this instant the token no longer authenticates; null: never.</param>
public sealed record StoredToken(string Name, string Sha256, DateTimeOffset Created, TokenRole? Role = null, DateTimeOffset? Expires = null)
{
    [JsonIgnore]
    public TokenRole EffectiveRole => Role ?? TokenRole.Admin;

    public bool ExpiredAt(DateTimeOffset now) => Expires is { } expires && expires <= now;
}

[JsonSerializable(typeof(List<StoredToken>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
