namespace DPlaneOS.Zfs.GitOps.Live;

/// <summary>What a failed probe leaves unverifiable.</summary>
public enum ProbeImpact
{
    /// <summary>The live data itself is missing (e.g. <c>zfs get</c> failed): every item in scope is blocked.</summary>
    Everything,

    /// <summary>Only a safety check failed (e.g. <c>smbstatus</c>): removals in scope are blocked, creates and edits go on.</summary>
    Deletions,
}
