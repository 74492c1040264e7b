namespace DPlaneOS.Zfs.Smart;

/// <summary>Disk risk bands, from <see cref="DiskRiskScorer"/>'s 0-100 score.</summary>
public enum RiskLevel
{
    Low,
    Medium,
    High,
    Critical,
}
