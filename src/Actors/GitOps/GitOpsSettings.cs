using DPlaneOS.Zfs.GitOps;

namespace DPlaneOS.Actors.GitOps;

/// <summary>Where the GitOps actor finds its files, how long things last, and where state.yaml may mount and share (default: <see cref="PathPolicy.Default"/>).</summary>
public sealed record GitOpsSettings(string StatePath, string SambaInclude, TimeSpan DriftInterval, TimeSpan ApprovalTtl, PathPolicy? Paths = null);
