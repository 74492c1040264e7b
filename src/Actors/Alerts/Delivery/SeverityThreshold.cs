namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>The minimum severity a sink wants: info, warning or critical.</summary>
public static class SeverityThreshold
{
    public const string Allowed = "info, warning or critical";

    public static bool TryParse(string? text, out Severity severity)
    {
        severity = text?.Trim().ToLowerInvariant() switch
        {
            "info" => Severity.Info,
            "warning" => Severity.Warning,
            "critical" => Severity.Critical,
            _ => Severity.Resolved,
        };
        return severity != Severity.Resolved;
    }

    /// <summary>Whether a raise of <paramref name="severity"/> passes <paramref name="minimum"/>; resolutions are decided elsewhere.</summary>
    public static bool Passes(Severity severity, Severity minimum) => severity != Severity.Resolved && severity >= minimum;

    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();
}
