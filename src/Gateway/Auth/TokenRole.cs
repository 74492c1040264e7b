using System.Text.Json.Serialization;

namespace DPlaneOS.Gateway.Auth;

/// <summary>What a token may do; each role includes the ones before it. Written in lower case, as it is spelt everywhere.</summary>
[JsonConverter(typeof(TokenRoleJsonConverter))]
public enum TokenRole
{
    /// <summary>GET requests, the WebSocket stream, metrics.</summary>
    Read,

    /// <summary>Read, plus acknowledging alerts, silences, test deliveries and support bundles.</summary>
    Operator,

    /// <summary>Everything: settings, GitOps, tokens.</summary>
    Admin,
}

public static class TokenRoles
{
    /// <summary>The role's name as the CLI, the API and problems spell it.</summary>
    public static string Name(this TokenRole role) => role.ToString().ToLowerInvariant();

    public static bool Includes(this TokenRole held, TokenRole needed) => held >= needed;

    public static bool TryParse(string? text, out TokenRole role)
    {
        role = TokenRole.Read;
        foreach (var candidate in Enum.GetValues<TokenRole>())
        {
            if (!string.Equals(candidate.Name(), text, StringComparison.Ordinal)) continue;
            role = candidate;
            return true;
        }
        return false;
    }

    public static string Known { get; } = string.Join(", ", Enum.GetValues<TokenRole>().Select(r => r.Name()));
}

public sealed class TokenRoleJsonConverter() : JsonStringEnumConverter<TokenRole>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);
