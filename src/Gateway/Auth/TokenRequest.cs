using System.Globalization;
using DPlaneOS.Gateway.Alerts;

namespace DPlaneOS.Gateway.Auth;

/// <summary>A token to create, from a request body or the CLI: its name, role and optional expiry, checked field by field.</summary>
public sealed record TokenRequest(string Name, TokenRole Role, DateTimeOffset? Expires)
{
    private static readonly string[] Known = ["name", "role", "expires"];

    public static TokenRequest? Parse(JsonElement body, out IDictionary<string, string[]> errors)
    {
        var fields = new RequestFields(body);
        fields.RejectUnknown(Known, []);
        var name = fields.RequiredString("name");
        var roleText = fields.RequiredString("role");
        var expiresText = fields.String("expires");
        var result = Check(name, roleText, expiresText, fields.Error);
        errors = fields.Errors;
        return fields.IsValid ? result : null;
    }

    /// <summary>The request, or null after <paramref name="error"/> was told each field that is wrong.</summary>
    public static TokenRequest? Check(string? name, string? roleText, string? expiresText, Action<string, string> error)
    {
        var ok = true;
        if (name is not null && ApiTokenStore.NameProblem(name) is { } problem)
        {
            error("name", problem);
            ok = false;
        }
        var role = TokenRole.Read;
        if (roleText is not null && !TokenRoles.TryParse(roleText, out role))
        {
            error("role", $"'{roleText}' is not a role; roles are {TokenRoles.Known}");
            ok = false;
        }
        DateTimeOffset? expires = null;
        if (expiresText is not null)
        {
            if (DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                expires = at;
            else
            {
                error("expires", $"'{expiresText}' is not a date (2027-01-31 or 2027-01-31T12:00:00Z)");
                ok = false;
            }
        }
        return ok && name is not null && roleText is not null ? new TokenRequest(name, role, expires) : null;
    }
}
