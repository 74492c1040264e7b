namespace DPlaneOS.Zfs.Watch;

/// <summary>A resource's level against warning/critical thresholds.</summary>
public enum UsageLevel { Ok, Warning, Critical }

/// <summary>Warning/critical percent thresholds with hysteresis (see <see cref="HysteresisLevels"/>).</summary>
public sealed record UsageThresholds(double Warning = 80, double Critical = 90, double Hysteresis = 2)
{
    private IReadOnlyList<double> Ascending => [Warning, Critical];

    public UsageLevel Next(UsageLevel current, double percent) =>
        (UsageLevel)HysteresisLevels.Next((int)current, percent, Ascending, Hysteresis);

    public string? Check() => HysteresisLevels.Check(Ascending, Hysteresis);
}
